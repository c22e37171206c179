user_pref("a", "x \"q\" \\ \u00FC \uD83D\uDE00 \x41 \n");
user_pref('s', 'it\'s');
/* c */ # h
pref("n", -2147483648);
sticky_pref("b", true);
