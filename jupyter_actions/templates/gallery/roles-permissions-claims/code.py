"""Put the user's roles, and the permissions they grant, into the tokens as custom claims."""

NAMESPACE = "https://example.com"

ROLE_PERMISSIONS = {
    "admin": ["read:reports", "write:reports", "manage:users"],
    "editor": ["read:reports", "write:reports"],
    "viewer": ["read:reports"],
}


async def on_execute_post_login(event, api):
    roles = list(event.authorization.roles or [])
    permissions = sorted({p for role in roles for p in ROLE_PERMISSIONS.get(role, [])})
    api.id_token.set_custom_claim(f"{NAMESPACE}/roles", roles)
    api.access_token.set_custom_claim(f"{NAMESPACE}/roles", roles)
    api.access_token.set_custom_claim(f"{NAMESPACE}/permissions", permissions)
