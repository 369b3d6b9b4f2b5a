# Nothing changed on the server: the deviation is that POP3 stayed on.
true
