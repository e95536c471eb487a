"""The Gmail add-on on Google's HTTP runtime: Google POSTs event JSON, we answer cards."""
