"""Refuse signups with throwaway email addresses."""

DISPOSABLE_DOMAINS = {
    "mailinator.com", "guerrillamail.com", "10minutemail.com", "tempmail.com", "trashmail.com",
    "yopmail.com", "sharklasers.com", "getnada.com", "dispostable.com", "throwawaymail.com",
}


async def on_execute_pre_user_registration(event, api):
    domain = (event.user.email or "").rpartition("@")[2].lower()
    if domain in DISPOSABLE_DOMAINS:
        api.access.deny(f"disposable email domain {domain}", "Please sign up with a permanent email address.")
