"""Send email through SMTP with Flask-Mailman, or write it to the log when no server is configured."""
import smtplib

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from flask_mailman.backends import smtp
from flask_mailman.utils import DNS_NAME


class Backend(smtp.EmailBackend):
    """Flask-Mailman's SMTP backend, upgrading to STARTTLS whenever the server offers it."""

    def open(self):
        """Open the connection, first asking the server whether it offers STARTTLS (unless SSL)."""
        if self.connection is None and not self.use_ssl and self.use_tls is None:
            # Flask-Mailman's cached host name: smtplib would look it up (slowly) on every connection.
            with smtplib.SMTP(self.host, self.port, local_hostname=DNS_NAME.get_fqdn(), timeout=self.timeout) as probe:
                probe.ehlo()
                self.use_tls = probe.has_extn("starttls")
        return super().open()


def connection():
    """Return an SMTP connection built from the app's current MAIL_* settings."""
    config = current_app.config
    port = int(config["MAIL_PORT"])
    # Backend reads None as "use Flask-Mailman's setting": pass explicit values.
    backend = Backend(mailman=current_app.extensions["mailman"], host=config["MAIL_SERVER"], port=port,
                      username=config.get("MAIL_USERNAME") or "", password=config.get("MAIL_PASSWORD") or "",
                      use_ssl=port == 465, use_tls=False if port == 465 else None, timeout=10)
    return backend


def message(to, subject, body, html=None, headers=None):
    """Return a plain-text email (with an HTML alternative when given) to one address."""
    email = EmailMultiAlternatives(subject, body, current_app.config["MAIL_FROM"], [to], headers=headers or {})
    if html:
        email.attach_alternative(html, "text/html")
    return email


def send_messages(messages):
    """Send messages over one connection; log them instead when MAIL_SERVER is not set."""
    if not current_app.config.get("MAIL_SERVER"):
        for email in messages:
            current_app.logger.warning("MAIL_SERVER not set; email to %s: %s\n%s", ", ".join(email.to),
                                       email.subject, email.body)
        return len(messages)
    with connection() as conn:
        return conn.send_messages(messages)


def send(to, subject, body, html=None, headers=None):
    """Send one email to one address."""
    send_messages([message(to, subject, body, html, headers)])
