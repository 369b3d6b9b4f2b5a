# Profile "dbsrv", once MariaDB runs: dovecotDB, its users table with SHA512-CRYPT hashes
# (no {scheme} prefix: the guide sets default_pass_scheme), and a read-only dovecot user that
# must use TLS.
set +x  # the passwords below stay out of the boot log (and sourcing would trace its assignments)
. "$seed/backend.env"
{
    echo "CREATE DATABASE dovecotDB;"
    echo "CREATE TABLE dovecotDB.users (username VARCHAR(128) NOT NULL PRIMARY KEY, password VARCHAR(255) NOT NULL);"
    while read -r user uid password; do
        echo "INSERT INTO dovecotDB.users VALUES ('$user', '$(printf '%s' "$password" | openssl passwd -6 -stdin)');"
    done < "$seed/accounts"
    echo "CREATE USER 'dovecot'@'%' IDENTIFIED BY '$DB_DOVECOT_PASS' REQUIRE SSL;"
    echo "GRANT SELECT ON dovecotDB.users TO 'dovecot'@'%';"
    # for fail scenarios: a user with write permissions, and a database not named dovecotDB
    echo "CREATE USER 'dovecotrw'@'%' IDENTIFIED BY '$DB_RW_PASS' REQUIRE SSL;"
    echo "GRANT ALL PRIVILEGES ON dovecotDB.* TO 'dovecotrw'@'%';"
    echo "CREATE DATABASE mailDB;"
    echo "CREATE TABLE mailDB.users AS SELECT * FROM dovecotDB.users;"
    echo "INSERT INTO mailDB.users VALUES ('legacy', '{NOSUCH-SCHEME}c2VjcmV0');"
    echo "GRANT SELECT ON mailDB.users TO 'dovecot'@'%';"
} | mariadb
set -x
