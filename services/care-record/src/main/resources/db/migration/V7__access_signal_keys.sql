-- The access monitor first asks whether a user's signals around an access hold enough distinct keys for any window
-- to reach its rule's threshold, by stepping from key to key (at most threshold steps) instead of reading every
-- signal: a user who reads one person all night adds a signal per read, and counting them all per read grew without
-- bound.
create index access_signal_keys on access_signal (rule, user_name, signal_key, at);
