"""Safe on production: a full audit leaves the mail store byte-identical outside the test
accounts (the reference host's bystander has mail, folders and indexes of its own)."""


def test_the_mail_store_outside_the_test_accounts_is_untouched(audit):
    assert "bystander" in audit.store_before, "the bystander's mail is missing from the lab"
    assert audit.store_after == audit.store_before, "the audit changed files it does not own"
