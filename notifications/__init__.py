"""Deadline e-mails: templates rendered into an outbox in the fact's transaction, then delivered."""
