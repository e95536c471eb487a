"""Intro Coach: coaching for networking emails that get answered."""

__version__ = "0.1.0"
