user_pref("mail.accountmanager.accounts", "account1");
user_pref("mail.account.account1.server", "server1"
user_pref("mail.server.server1.password", "Geheim-Passwort-4711");
