"""Deny logins from outside the company's networks."""

import ipaddress

ALLOWED_NETWORKS = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "192.168.0.0/16", "203.0.113.0/24")]


async def on_execute_post_login(event, api):
    address = ipaddress.ip_address(event.request.ip)
    if not any(address in network for network in ALLOWED_NETWORKS):
        api.access.deny(f"Logins from {address} are not allowed.")
