"""Realistic values shared by the sample payloads (Auth0's samples, placeholders filled in).

``{{TENANT}}`` -> ``dev-tenant``, ``{{DATE}}`` -> an ISO-8601 date, ``{{YOUR_DOMAIN}}`` ->
``example``. Each trigger module copies what it uses; ``Trigger.sample_payload`` deep-copies.
"""

from __future__ import annotations

TENANT_ID = "dev-tenant"
DATE = "2025-01-15T09:30:00.000Z"
HOSTNAME = f"{TENANT_ID}.auth0.com"
CLIENT_ID = "gmOWNgklfRm4tyl5YYnl3JDSJy19h1bR"
USER_ID = "auth0|5f7c8ec7c33c6c004bbafe82"
API_IDENTIFIER = f"{TENANT_ID}.auth0.com/api/v2"
JWT_SAMPLE = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gU21pdGgiLCJpYXQiOjE1MTYyMzkwMjJ9."
    "Q_w2AVguPRU2KskCXwR7ZHl09TQXEntfEA8Jj2_Jyew"
)

GEOIP = {
    "cityName": "Bellevue",
    "continentCode": "NA",
    "countryCode3": "USA",
    "countryCode": "US",
    "countryName": "United States of America",
    "latitude": 47.61793,
    "longitude": -122.19584,
    "subdivisionCode": "WA",
    "subdivisionName": "Washington",
    "timeZone": "America/Los_Angeles",
}
AKAMAI = {
    "akamaiBot": {
        "type": "Akamai-Categorized Bot",
        "botnetId": "googlebot",
        "action": "Monitor",
        "botCategory": ["Web Search Engine Bots", "Search Engine Bots"],
        "botScore": 0,
        "botScoreResponseSegment": "test",
    },
    "akamaiUserRisk": {
        "uuid": "86b37525-8047-4a3c-8d7a-23e99901da05",
        "username": "testuser@example.com",
        "emailDomain": "example.com",
        "ouid": "m534264",
        "requestid": "19e22e",
        "status": 4,
        "score": 0,
        "general": {
            "aci": "0",
            "db": "Chrome 85",
            "di": "0fc91b5ec42f5a471c16a85e3e388ca57697c1a9",
            "do": "Mac OS X 10",
        },
        "risk": {"ugp": "ie/M", "unp": "432/H"},
        "trust": {
            "udbp": "Chrome85",
            "udfp": "25ba44ec3b391ba4ce5fbbd2979635e254775e7d",
            "udop": "Mac OS X 10",
            "ugp": "FR",
            "unp": "12322",
            "utp": "weekday_3",
        },
        "allow": 0,
        "action": "monitor",
    },
}
SUPPLEMENTAL_ONLY = {"riskAssessment": {"supplemental": {"akamai": AKAMAI}}}
CUSTOM_DOMAIN = {"domain": "login.example.com", "domain_metadata": {"environment": "production", "region": "us-west-2"}}
CONNECTION = {
    "id": "con_fpe5kj482KO1eOzQ",
    "name": "Username-Password-Authentication",
    "strategy": "auth0",
    "metadata": {},
}
CLIENT = {"client_id": CLIENT_ID, "name": "All Applications", "metadata": {}}
ORGANIZATION = {
    "display_name": "My Organization",
    "id": "org_juG7cAQ0CymOcVpV",
    "metadata": {},
    "name": "my-organization",
}
SECURITY_CONTEXT = {"ja3": "c13a3e168d43e62e0ad96fae6347e2e4", "ja4": "t13d1516h2_8daaf6152771_02713d6af862"}
BRANDED_TENANT = {
    "id": TENANT_ID,
    "friendly_name": "Dev Tenant",
    "home_url": "https://example.com/home",
    "logo_url": "https://www.gravatar.com/avatar/?d=monsterid",
    "support_email": "support@example.com",
    "support_url": "https://example.com/support",
}
REQUEST = {
    "ip": "13.33.86.47",
    "method": "POST",
    "geoip": GEOIP,
    "hostname": HOSTNAME,
    "language": "en",
    "user_agent": "curl/7.64.1",
}
IDENTITY = {
    "connection": "Username-Password-Authentication",
    "isSocial": False,
    "provider": "auth0",
    "userId": "5f7c8ec7c33c6c004bbafe82",
    "accessToken": JWT_SAMPLE,
    "profileData": {},
    "user_id": "5f7c8ec7c33c6c004bbafe82",
}
USER_PROFILE = {
    "app_metadata": {},
    "created_at": DATE,
    "email_verified": True,
    "email": "j+smith@example.com",
    "family_name": "Smith",
    "given_name": "John",
    "last_password_reset": DATE,
    "name": "John Smith",
    "nickname": "j+smith",
    "phone_number": "+14255550123",
    "phone_verified": False,
    "picture": "http://www.gravatar.com/avatar/?d=identicon",
    "updated_at": DATE,
    "user_id": USER_ID,
    "user_metadata": {},
    "username": "jsmith",
}
