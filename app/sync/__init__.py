"""Sync with the hub: wire format, bundle files, HTTP client, and the pure merge of revisions."""
