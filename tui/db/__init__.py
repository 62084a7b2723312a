"""The database layer: Peewee models and the functions that answer the shop's questions.

Nothing here imports textual; screens, reports and the command line call in.
"""
