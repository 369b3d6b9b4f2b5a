# Profile "pam", once Dovecot runs: the bystander's mailbox gets a message and a folder.
# Best effort: an overlay may have broken mail access on purpose (the write-safety
# self-test reads the reference host, where this must have worked).
if printf 'From: someone@example.com\nTo: bystander@example.com\nSubject: keep me\nMessage-ID: <bystander-1@example.com>\n\nNot the audit'"'"'s business.\n' \
        | doveadm save -u bystander && doveadm mailbox create -u bystander Archive; then
    echo "bystander mail seeded"
else
    echo "bystander mail not seeded (mail access broken on this host)"
fi
