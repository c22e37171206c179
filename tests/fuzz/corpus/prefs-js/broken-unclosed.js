user_pref("a", "no end);
