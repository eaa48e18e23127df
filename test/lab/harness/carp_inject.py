#!/usr/bin/env python3
"""Sends hand-made IP protocol 112 packets from a lab node: CARP advertisements with any TTL, or random garbage.

The CARP header and HMAC follow carp-wire.md section 1 (HMAC-SHA1 keyed with the first 19 bytes of the password
over 02 01 vhid sorted-IPv4 sorted-IPv6 counter). Everything is sent through the kernel's raw sockets, so the
IP header (and its TTL / hop limit) is the kernel's, set through the multicast socket options.
"""
import argparse
import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import sys
import time


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def carp_advert(vhid, advbase, advskew, demote, password, vips, counter):
    v4 = sorted(ipaddress.ip_address(a) for a in vips if ":" not in a)
    v6 = sorted(ipaddress.ip_address(a) for a in vips if ":" in a)
    ctr = struct.pack("!Q", counter)
    msg = bytes([2, 1, vhid]) + b"".join(a.packed for a in v4) + b"".join(a.packed for a in v6) + ctr
    mac = hmac.new(password.encode()[:19], msg, hashlib.sha1).digest()
    hdr = struct.pack("!BBBBBBH", 0x21, vhid, advskew, 7, demote, advbase, 0) + ctr + mac
    return hdr[:6] + struct.pack("!H", checksum(hdr)) + hdr[8:]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ifname", required=True)
    p.add_argument("--family", choices=["4", "6"], default="4")
    p.add_argument("--ttl", type=int, default=255)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--interval", type=float, default=0.2)
    p.add_argument("--vhid", type=int, default=1)
    p.add_argument("--advbase", type=int, default=1)
    p.add_argument("--advskew", type=int, default=0)
    p.add_argument("--demote", type=int, default=0)
    p.add_argument("--password", default="")
    p.add_argument("--vip", action="append", default=[])
    p.add_argument("--garbage", action="store_true", help="random payloads of random length instead of adverts")
    a = p.parse_args()

    if a.family == "4":
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.ifname.encode())
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, a.ttl)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
        idx = socket.if_nametoindex(a.ifname)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, struct.pack("=4s4si", b"\0" * 4, b"\0" * 4, idx))
        dest = ("224.0.0.18", 0)
    else:
        s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.ifname.encode())
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, a.ttl)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
        idx = socket.if_nametoindex(a.ifname)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
        dest = ("ff02::12", 0, 0, idx)

    counter = int.from_bytes(os.urandom(8), "big")
    for i in range(a.count):
        if a.garbage:
            payload = os.urandom(int.from_bytes(os.urandom(1), "big") % 80)
        else:
            payload = carp_advert(a.vhid, a.advbase, a.advskew, a.demote, a.password, a.vip, (counter + i) % 2**64)
        s.sendto(payload, dest)
        if i + 1 < a.count:
            time.sleep(a.interval)
    print(f"sent {a.count} packet(s) on {a.ifname}", file=sys.stderr)


if __name__ == "__main__":
    main()
