"""Deny logins from countries you do not serve (by the IP's GeoIP country)."""

BLOCKED_COUNTRIES = {"KP", "IR", "SY"}


async def on_execute_post_login(event, api):
    country = event.request.geoip.countryCode
    if country in BLOCKED_COUNTRIES:
        api.access.deny(f"Logins from {event.request.geoip.countryName} are not allowed.")
