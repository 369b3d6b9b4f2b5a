# A cipher list that lets RSA key exchange back in.
echo 'ssl_cipher_list = ALL:@SECLEVEL=1' > /etc/dovecot/conf.d/99-ciphers.conf
