doveadm stop
