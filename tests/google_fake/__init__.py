"""A fake Google (OAuth + Gmail REST) on loopback, for tests and benchmarks."""

from tests.google_fake.mailbox import Message
from tests.google_fake.server import GMAIL_ERRORS, FakeGoogle

__all__ = ["GMAIL_ERRORS", "FakeGoogle", "Message"]
