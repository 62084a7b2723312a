"""Formatting of the db layer's answers for files, paper and the terminal. Never imports textual."""
