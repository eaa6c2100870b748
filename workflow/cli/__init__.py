"""The command line: typer commands, their Spanish, and the tables drawn in the terminal."""
