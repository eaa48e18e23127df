#!/usr/bin/env python3
"""Sends one gratuitous ARP reply for IPV4 from IFACE's MAC (what carpd does after adding a VIP)."""
import socket
import struct
import sys

iface, ip = sys.argv[1], sys.argv[2]
with open(f"/sys/class/net/{iface}/address") as f:
    mac = bytes.fromhex(f.read().strip().replace(":", ""))
addr = socket.inet_aton(ip)
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, mac, addr, b"\xff" * 6, addr)
frame = b"\xff" * 6 + mac + struct.pack("!H", 0x0806) + arp
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
s.send(frame)
