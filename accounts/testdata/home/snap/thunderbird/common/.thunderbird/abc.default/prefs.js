user_pref("mail.account.account1.identities", "id1");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.identity.id1.useremail", "snap@example.net");
user_pref("mail.server.server1.hostname", "imap.example.net");
user_pref("mail.server.server1.socketType", 2);
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.userName", "snap");
