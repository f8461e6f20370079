from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2(PBKDF2PasswordHasher):
    """The tests' password hasher: pbkdf2_sha256 at one iteration. Fast, and read by the
    production hasher of any Balai process a test starts (the count is stored in the hash)."""

    iterations = 1
