"""The opt-in Gmail connection: OAuth, sessions, encryption of what is stored."""
