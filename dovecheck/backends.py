"""The LDAP (1.2.4) and SQL (1.3.4) backends: their .ext files, and connections to their servers.

`doveconf -n` does not read dovecot-ldap.conf.ext or dovecot-sql.conf.ext (they are the
passdb's and userdb's `args`), so they are read here, through sudo, and parsed. Their
secrets (dnpass, the connect string's password) are registered with the redactor before
anything else sees the text, so no evidence, report or log can carry them.

Connections to the LDAP and database servers start on the Dovecot host, through its SSH
connection (a direct-tcpip channel): the server's name resolves as Dovecot resolves it, the
database grants see Dovecot's address, and TLS is still verified here, by the auditor.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import CheckError, Finding, Unreachable
from .jump import connect_from
from .redact import REDACTOR

LDAP_CONF = "/etc/dovecot/dovecot-ldap.conf.ext"
SQL_CONF = "/etc/dovecot/dovecot-sql.conf.ext"
# The only .ext files the audit account may read (sudoers-audit): the guide's two paths.
READABLE = (LDAP_CONF, SQL_CONF)
SECRET_KEYS = ("dnpass", "password", "sasl_password")

_LINE = re.compile(r"^(?P<key>[\w-]+)\s*=\s*(?P<value>.*)$")


@dataclass
class ExtFile:
    """key = value settings of a dovecot-*.conf.ext file (later lines win, as in Dovecot)."""

    path: str
    settings: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def get(self, key: str, default: str = "") -> str:
        return self.settings.get(key, default)

    def excerpt(self) -> str:
        """The settings as evidence: secrets masked by the redactor (registered on parse)."""
        return REDACTOR("\n".join(f"{k} = {v}" for k, v in self.settings.items()))


def parse_ext(path: str, text: str) -> ExtFile:
    ext = ExtFile(path)
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            ext.problems.append(f"line {n}: not a key = value setting")
            continue
        value = m.group("value").strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        ext.settings[m.group("key").lower()] = value
    for key in SECRET_KEYS:
        if ext.settings.get(key):
            REDACTOR.add(ext.settings[key])
    if "connect" in ext.settings:
        secret = connect_fields(ext.settings["connect"]).get("password")
        if secret:
            REDACTOR.add(secret)
    return ext


def connect_fields(connect: str) -> dict[str, str]:
    """`host=db dbname=dovecotDB user=dovecot password=x ssl_ca=/...` as a mapping."""
    try:
        words = shlex.split(connect)
    except ValueError:
        words = connect.split()
    return {k.lower(): v for k, _, v in (w.partition("=") for w in words)}


def driver_args(sections, driver: str) -> list[str]:
    """The args of passdb/userdb sections with `driver`: the .ext files Dovecot reads."""
    return [
        s.get("args").split()[-1] for s in sections if s.get("driver") == driver and s.get("args")
    ]


# --- LDAP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LdapURI:
    scheme: str  # ldap or ldaps
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def ldap_uris(ext: ExtFile) -> list[LdapURI]:
    """uris (or the older hosts = name[:port], plain LDAP) as (scheme, host, port)."""
    found = []
    for word in ext.get("uris").split():
        parts = urlsplit(word)
        if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
            raise CheckError(f"{ext.path}: uris {word!r} is not an ldap:// or ldaps:// URI")
        default = 636 if parts.scheme == "ldaps" else 389
        found.append(LdapURI(parts.scheme, parts.hostname, parts.port or default))
    for word in ext.get("hosts").split():
        host, _, port = word.partition(":")
        found.append(LdapURI("ldap", host, int(port or 389)))
    return found


def fill(template: str, user: str) -> str:
    """Dovecot's %u / %n / %{user} / %{username} for a plain user name (no domain)."""
    for var in ("%{username}", "%{user}", "%u", "%n"):
        template = template.replace(var, user)
    return template


def _ca_file(pem: str) -> str:
    """python-ldap takes the CA as a file: a private temporary one per connection."""
    with tempfile.NamedTemporaryFile("w", prefix="dovecheck-ca-", suffix=".pem", delete=False) as f:
        f.write(pem)
    return f.name


def _relay(tls: ssl.SSLSocket, plain: socket.socket) -> None:
    """Pump bytes between a verified TLS socket and the plain end python-ldap speaks on."""
    try:
        while True:
            if not tls.pending():
                ready, _, _ = select.select([tls, plain], [], [], 60)
            else:
                ready = [tls]
            if tls in ready:
                data = tls.recv(65536)
                if not data:
                    break
                plain.sendall(data)
            if plain in ready:
                data = plain.recv(65536)
                if not data:
                    break
                tls.sendall(data)
    except (OSError, ssl.SSLError):
        pass
    finally:
        tls.close()
        plain.close()


class LdapSession:
    """python-ldap on a connection opened from the Dovecot host; no bind before TLS verified
    against `ca_pem` and the URI's host name. ldaps:// is TLS that Python's ssl sets up (and
    relays to python-ldap), ldap:// with STARTTLS is python-ldap's own."""

    def __init__(
        self,
        via,
        uri: LdapURI,
        ca_pem: str,
        timeout: float,
        starttls: bool,
        verify: bool = True,
        check_hostname: bool = True,
    ) -> None:
        import ldap  # python-ldap: imported here so that a PAM-only run does not need libldap

        self.ldap = ldap
        self.uri = uri
        self.where = f"{uri.url} (from {via.inv_host.name})"
        self.tls: dict[str, str] = {}
        self.ca_path = ""
        self.conn = None
        self.sock: socket.socket | None = None
        try:
            self.sock = connect_from(via, uri.host, uri.port, timeout)
        except Unreachable as exc:
            raise Unreachable(f"LDAP server {uri.url} unreachable: {exc}") from exc
        url = f"ldap://{uri.host}:{uri.port}"
        if uri.scheme == "ldaps":
            ctx = ssl.create_default_context(cadata=ca_pem)
            if not verify:  # only whether the server speaks TLS at all; nothing is sent
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            elif not check_hostname:  # only whether the CA signed it (the name is judged apart)
                ctx.check_hostname = False
            try:
                tls = ctx.wrap_socket(self.sock, server_hostname=uri.host)
            except ssl.SSLCertVerificationError as exc:
                self.sock.close()
                raise Finding(
                    f"{self.where}: certificate not verified: {exc.verify_message}"
                ) from exc
            except (ssl.SSLError, OSError) as exc:
                self.sock.close()
                raise Finding(f"{self.where}: no TLS handshake: {exc}") from exc
            self.tls = {"version": str(tls.version()), "cipher": str((tls.cipher() or ("",))[0])}
            mine, theirs = socket.socketpair()
            mine.settimeout(timeout)
            threading.Thread(target=_relay, args=(tls, theirs), daemon=True).start()
            self.sock = mine
        self.ca_path = _ca_file(ca_pem)
        conn = ldap.initialize(url, fileno=self.sock.fileno())
        self.conn = conn
        self.sock.detach()  # libldap owns the descriptor now, and closes it on unbind
        self.sock = None
        conn.set_option(ldap.OPT_PROTOCOL_VERSION, 3)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, timeout)
        conn.set_option(ldap.OPT_TIMEOUT, timeout)
        conn.set_option(ldap.OPT_X_TLS_CACERTFILE, self.ca_path)
        demand = ldap.OPT_X_TLS_DEMAND if verify else ldap.OPT_X_TLS_ALLOW
        conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, demand)
        conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
        if uri.scheme == "ldap" and starttls:
            try:
                conn.start_tls_s()
            except ldap.CONNECT_ERROR as exc:
                self.close()
                raise Finding(
                    f"{self.where}: STARTTLS: the certificate did not verify against the CA "
                    f"for {uri.host} ({_ldap_msg(exc)})"
                ) from exc
            except ldap.LDAPError as exc:
                self.close()
                raise Finding(f"{self.where}: STARTTLS refused: {_ldap_msg(exc)}") from exc
            for name in ("version", "cipher"):
                self.tls[name] = str(conn.get_option(getattr(ldap, f"OPT_X_TLS_{name.upper()}")))

    def bind(self, dn: str, password: str) -> None:
        try:
            self.conn.simple_bind_s(dn, password)
        except self.ldap.INVALID_CREDENTIALS as exc:
            raise Finding(f"{self.where}: bind as {dn} refused: invalid credentials") from exc
        except self.ldap.LDAPError as exc:
            raise CheckError(f"{self.where}: bind as {dn} failed: {_ldap_msg(exc)}") from exc

    def search(self, base: str, scope: str, filterstr: str, attrs: list[str]) -> list:
        ldap = self.ldap
        scopes = {"base": ldap.SCOPE_BASE, "onelevel": ldap.SCOPE_ONELEVEL}
        try:
            return self.conn.search_s(base, scopes.get(scope, ldap.SCOPE_SUBTREE), filterstr, attrs)
        except ldap.NO_SUCH_OBJECT:
            return []
        except ldap.LDAPError as exc:
            raise CheckError(
                f"{self.where}: search {filterstr} under {base} failed: {_ldap_msg(exc)}"
            ) from exc

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.conn is not None:
                self.conn.unbind_s()
        if self.sock is not None:
            self.sock.close()
        if self.ca_path:
            with contextlib.suppress(OSError):
                os.unlink(self.ca_path)


def _ldap_msg(exc: Exception) -> str:
    arg = exc.args[0] if exc.args else {}
    if isinstance(arg, dict):
        return "; ".join(str(arg[k]) for k in ("desc", "info") if arg.get(k))
    return str(exc)


# --- MariaDB -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SqlTarget:
    host: str
    port: int
    dbname: str
    user: str
    password: str
    ssl_ca: str


def sql_target(ext: ExtFile) -> SqlTarget:
    f = connect_fields(ext.get("connect"))
    if not f.get("host"):
        raise CheckError(f"{ext.path}: connect names no host=")
    return SqlTarget(
        f["host"],
        int(f.get("port", "3306")),
        f.get("dbname", ""),
        f.get("user", ""),
        f.get("password", ""),
        f.get("ssl_ca", ""),
    )


def sql_connect(via, target: SqlTarget, ca_pem: str, timeout: float, check_hostname: bool = True):
    """A MariaDB session as Dovecot's user, from the Dovecot host, only over TLS that verified
    against `ca_pem` and the connect string's host name (unless `check_hostname` is off, for
    the check that only asks whether the session is encrypted): no TLS, no credentials."""
    import pymysql
    from pymysql.constants import CLIENT

    where = f"MariaDB {target.host}:{target.port} (from {via.inv_host.name})"

    class _TLSOnly(pymysql.connections.Connection):
        def _request_authentication(self) -> None:
            if not self.server_capabilities & CLIENT.SSL:
                raise Finding(f"{where}: the server does not offer TLS")
            super()._request_authentication()

    ctx = ssl.create_default_context(cadata=ca_pem)
    ctx.check_hostname = check_hostname
    try:
        sock = connect_from(via, target.host, target.port, timeout)
    except Unreachable as exc:
        raise Unreachable(f"database server {where} unreachable: {exc}") from exc
    conn = _TLSOnly(
        host=target.host,
        port=target.port,
        user=target.user,
        password=target.password,
        database=target.dbname or None,
        ssl=ctx,
        connect_timeout=timeout,
        read_timeout=timeout,
        write_timeout=timeout,
        defer_connect=True,
    )
    try:
        conn.connect(sock=sock)
    except ssl.SSLCertVerificationError as exc:
        sock.close()
        raise Finding(f"{where}: certificate not verified: {exc.verify_message}") from exc
    except pymysql.err.OperationalError as exc:
        sock.close()
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ssl.SSLCertVerificationError):  # PyMySQL wraps it as 2003
            raise Finding(f"{where}: certificate not verified: {cause.verify_message}") from exc
        code = exc.args[0] if exc.args else 0
        if code in (1044, 1045):  # access denied
            raise CheckError(f"{where}: access denied for {target.user}: {exc.args[-1]}") from exc
        raise Unreachable(f"database server {where}: {exc.args[-1]}") from exc
    except (OSError, pymysql.err.MySQLError) as exc:
        sock.close()
        raise Unreachable(f"database server {where}: {exc}") from exc
    return conn


def query(conn, sql: str, args: tuple | None = None) -> list[tuple]:
    import pymysql

    try:
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())
    except pymysql.err.MySQLError as exc:
        raise CheckError(f"MariaDB: {sql.split()[0]} failed: {exc.args[-1]}") from exc


_SCHEMES = [
    (re.compile(r"^\{([A-Za-z0-9._-]+)\}"), None),
    (re.compile(r"^\$6\$"), "SHA512-CRYPT"),
    (re.compile(r"^\$5\$"), "SHA256-CRYPT"),
    (re.compile(r"^\$2[abxy]\$"), "BLF-CRYPT"),
    (re.compile(r"^\$1\$"), "MD5-CRYPT"),
    (re.compile(r"^\$argon2id\$"), "ARGON2ID"),
    (re.compile(r"^\$y\$"), "YESCRYPT"),
]


def hash_scheme(stored: str) -> tuple[str | None, str]:
    """({SCHEME} prefix or None, what the value looks like): never the value itself."""
    m = _SCHEMES[0][0].match(stored)
    if m:
        return m.group(1).upper(), m.group(1).upper()
    for pattern, name in _SCHEMES[1:]:
        if pattern.match(stored):
            return None, name
    return None, "unrecognised (plain text or an unknown format)"


def peer_of(sock: socket.socket) -> str:
    try:
        return str(sock.getpeername())
    except OSError:
        return "?"
