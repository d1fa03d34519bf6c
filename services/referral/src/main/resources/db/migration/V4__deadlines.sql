-- Response times: one clock per referral and kind ('response': the receiver accepts; 'follow-up': first contact after
-- a discharge), with where its escalation has got to. A clock that is met or stopped has no next_at.
create table referral_deadline (
  referral_id   text not null references referral (id),
  kind          text not null,
  started_at    timestamptz not null,
  due_at        timestamptz not null,
  rule          text,
  level         integer not null default 0,
  next_at       timestamptz,
  breached_at   timestamptz,
  met_at        timestamptz,
  primary key (referral_id, kind)
);
-- the sweeper's queue: only clocks still running or escalating
create index referral_deadline_next on referral_deadline (next_at) where next_at is not null;
