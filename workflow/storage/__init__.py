"""Storage: the tables, their migrations, the audit chain and who is acting on the database."""
