"""Send an email through SMTP, or write it to the log when no server is configured."""
import smtplib
from email.message import EmailMessage

from flask import current_app


def send(to, subject, body):
    """Send a plain-text email to one address."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.warning("MAIL_SERVER not set; email to %s: %s\n%s", to, subject, body)
        return
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    port = int(config.get("MAIL_PORT") or 587)
    smtp_class = smtplib.SMTP_SSL if port == 465 else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], port, timeout=10) as smtp:
        if smtp_class is smtplib.SMTP:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
