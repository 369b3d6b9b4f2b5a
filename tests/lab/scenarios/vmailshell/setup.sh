usermod --shell /bin/bash vmail
