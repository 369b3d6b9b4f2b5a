# Profile "dbsrv": the guide's MariaDB server (1.3.4 prerequisites), with TLS from a lab-CA
# certificate for this host's name. The database itself is filled in started.sh.
install -d -m 755 /etc/mysql/tls
install -m 644 "$seed/pki/server.crt" /etc/mysql/tls/server.crt
install -m 644 "$seed/pki/ca.crt" /etc/mysql/tls/ca.crt
install -m 600 -o mysql -g mysql "$seed/pki/server.key" /etc/mysql/tls/server.key
cat > /etc/mysql/mariadb.conf.d/90-dovecheck-lab.cnf <<'CNF'
[mariadb]
# every IPv4 and IPv6 address ("::" listens on IPv6 only)
bind-address = *
skip-name-resolve
ssl_cert = /etc/mysql/tls/server.crt
ssl_key = /etc/mysql/tls/server.key
ssl_ca = /etc/mysql/tls/ca.crt
innodb_buffer_pool_size = 16M
performance_schema = OFF
CNF
rm -rf /var/lib/mysql
install -d -m 755 -o mysql -g mysql /var/lib/mysql /run/mysqld
mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db \
    --auth-root-authentication-method=socket >/dev/null
