#!/bin/sh
# The host's init: provision from the seed directory, start the services, then
# idle. The outcome is a marker in /run that `lab up` waits for.
seed=$1
exec >/run/lab-boot.log 2>&1
if (
    set -eux
    . "$seed/host.env"
    . "$LAB_SH/provision-base.sh"
    for profile in $PROFILES; do . "$LAB_PROFILES/$profile/setup.sh"; done
    for overlay in "$seed"/overlays/*; do
        [ -d "$overlay" ] || continue
        [ ! -d "$overlay/root" ] || cp -a "$overlay/root/." /
        [ ! -f "$overlay/setup.sh" ] || . "$overlay/setup.sh"
    done
    . "$LAB_SH/start-services.sh"
    for profile in $PROFILES; do
        [ ! -f "$LAB_PROFILES/$profile/started.sh" ] || . "$LAB_PROFILES/$profile/started.sh"
    done
    # Services and firewall up: `lab up` relays this to a replication partner.
    touch /run/lab-services-up
    for profile in $PROFILES; do
        [ ! -f "$LAB_PROFILES/$profile/settle.sh" ] || . "$LAB_PROFILES/$profile/settle.sh"
    done
    for overlay in "$seed"/overlays/*; do
        [ ! -f "$overlay/started.sh" ] || . "$overlay/started.sh"
    done
); then
    touch /run/lab-ready
else
    touch /run/lab-failed
fi
exec sleep infinity
