user_pref("mail.smtpserver.smtp1.hostname", "smtp.flatpak.example");
user_pref("mail.smtpserver.smtp1.try_ssl", 1);
