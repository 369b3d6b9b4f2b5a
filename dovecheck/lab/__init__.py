"""The lab: real Dovecot servers in network and mount namespaces of their own.

Nothing here touches the machine's own network namespace: the bridge lives in a
lab namespace and every veth is created from inside it.
"""
