"""The `lab` command: up, down, status, and running commands on a lab host or the client."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from . import core, hosts
from .shell import LabError
from .topology import CLIENT_NS, LabHost, backend_neighbours, default_servers, expect_for

_FIRST_EXTRA_OCTET = 31


def _parse_pairs(values: list[str], flag: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise LabError(f"{flag} {value!r}: expected NAME=VALUE")
        pairs.append((name, rest))
    return pairs


def build_servers(
    add: list[str], overlays: list[str], partners: list[str] | None = None
) -> list[LabHost]:
    servers = {s.name: s for s in default_servers()}
    octet = _FIRST_EXTRA_OCTET
    # --partner A=B: A and B replicate with each other (section 1.4 on both)
    partner_of: dict[str, str] = {}
    for a, b in _parse_pairs(partners or [], "--partner"):
        partner_of[a], partner_of[b] = b, a
    for name, profile in _parse_pairs(add, "--add-host"):
        profiles = tuple(profile.replace(",", "+").split("+"))
        if "pair" in profiles and name not in partner_of:
            raise LabError(f"--add-host {name}={profile}: a pair host needs --partner {name}=...")
        expect = expect_for(profiles, partner_of.get(name))
        servers[name] = LabHost(name, octet, profiles, expect=expect)
        octet += 1
    for name in partner_of:
        if name not in servers:
            raise LabError(f"--partner: no lab server named {name!r}")
        if "pair" not in servers[name].profiles:
            raise LabError(f"--partner: {name} does not have the pair profile")
    for name, path in _parse_pairs(overlays, "--overlay"):
        if name not in servers:
            raise LabError(f"--overlay {name}=...: no lab server named {name!r}")
        s = servers[name]
        servers[name] = replace(s, overlays=(*s.overlays, Path(path).resolve()))
    chosen = list(servers.values())
    return chosen + backend_neighbours(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lab", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_up = sub.add_parser("up", help="(re)create the lab from nothing")
    p_up.add_argument(
        "--overlay",
        action="append",
        default=[],
        metavar="HOST=PATH",
        help="lay an overlay directory over a server (repeatable)",
    )
    p_up.add_argument(
        "--add-host",
        action="append",
        default=[],
        metavar="NAME=PROFILE",
        help="add a server with profiles, e.g. bad1=pam or bad2=pam+firewall+pair (repeatable)",
    )
    p_up.add_argument(
        "--partner",
        action="append",
        default=[],
        metavar="A=B",
        help="A and B (pair-profile hosts) replicate with each other (repeatable)",
    )
    sub.add_parser("down", help="remove every namespace, mount and process of the lab")
    sub.add_parser("status", help="list lab hosts")
    p_exec = sub.add_parser("exec", help="run a command on a lab server")
    p_exec.add_argument("host")
    p_exec.add_argument("command", nargs=argparse.REMAINDER)
    p_client = sub.add_parser("client", help="run a command in the client namespace")
    p_client.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("lab: must run as root (it creates network namespaces)", file=sys.stderr)
        return 2
    try:
        if args.cmd == "up":
            core.up(build_servers(args.add_host, args.overlay, args.partner))
        elif args.cmd == "down":
            removed = core.down()
            print(f"lab down: removed {', '.join(removed) or 'nothing'}")
        elif args.cmd == "status":
            rows = core.status()
            for host, state in rows:
                print(f"{host:12} {state}")
            if not rows:
                print("lab is down")
        elif args.cmd == "exec":
            cmd = args.command or ["/bin/bash", "-l"]
            os.execvp("nsenter", hosts.exec_argv(args.host, cmd))
        elif args.cmd == "client":
            cmd = args.command or ["/bin/bash"]
            os.execvp("ip", ["ip", "netns", "exec", CLIENT_NS, *cmd])
    except LabError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
