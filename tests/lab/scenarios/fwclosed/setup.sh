sed -i -e '/<service name="pop3"\/>/d' -e '/<service name="managesieve"\/>/d' \
    /etc/firewalld/zones/public.xml
