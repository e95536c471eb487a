"""Gmail context (opt-in): the API client, what the mailbox says, and its cache."""
