"""Protocol clients that connect to one address, verify TLS, and keep a transcript."""
