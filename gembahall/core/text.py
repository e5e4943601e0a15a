"""Small text helpers shared by the apps."""


def mask_phone(phone: str) -> str:
    """A phone number as staff see it: the first three and last four digits."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"
