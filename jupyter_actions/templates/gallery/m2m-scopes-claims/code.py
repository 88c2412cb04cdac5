"""Machine to machine: add claims and scopes by client tier (client metadata), deny suspended clients."""

TIER_SCOPES = {"partner": ["read:partner-data"], "internal": ["read:partner-data", "read:internal"]}


async def on_execute_credentials_exchange(event, api):
    tier = event.client.metadata.tier or "standard"
    if tier == "suspended":
        api.access.deny("invalid_request", f"client {event.client.client_id} is suspended")
        return
    api.access_token.set_custom_claim("https://example.com/client_name", event.client.name)
    api.access_token.set_custom_claim("https://example.com/tier", tier)
    for scope in TIER_SCOPES.get(tier, []):
        api.transaction.add_target_scope(scope)
