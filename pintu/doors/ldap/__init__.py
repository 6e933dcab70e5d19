"""The directory as an outside system of the outbox: the ``ldap`` transport (LDAP v3
through ``ldap3``) and the worker's reads of who has signed in.

It lives with the doors because, like the e-mail and WhatsApp doors, it is a way out
of the building with its own settings, connection and protocol, and it knows no
module: a job's payload says which entry to make or change, so that any module (today
the campus accounts of ``pintu.identity``) can send the directory work.
"""
