#!/bin/sh
# Runs as PID 1 of a fresh PID namespace, inside the host's own mount namespace:
# builds a private root (an overlay of the machine's / on a tmpfs) and starts
# the host's init in it. Every mount made here dies with the namespace.
set -eu
name=$1 seed=$2 rt=$3 init=$4
mount -t tmpfs -o mode=0755 lab-"$name" "$rt"
mkdir "$rt/upper" "$rt/work" "$rt/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$rt/upper,workdir=$rt/work" "$rt/root"
r=$rt/root
mount -t proc proc "$r/proc"
mount -t sysfs sysfs "$r/sys"
mount --rbind /dev "$r/dev"
mount -t tmpfs -o mode=0755 tmpfs "$r/run"
mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
hostname "$name"
exec chroot "$r" /usr/bin/tini -s -- /bin/sh "$init" "$seed"
