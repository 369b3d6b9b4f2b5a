"""dovecheck: prove that a Dovecot server still does what Red Hat's guide set it up to do."""

__version__ = "0.1.0"
