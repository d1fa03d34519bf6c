package org.tellonce.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLA sweeper under load, against the referral service on its own database (referral_bench): {@code seed} stores
 * 100,000 open referrals with their response clocks, of which 1,000 fall due one every 30 ms from 10 s after seeding
 * and the rest in four hours; {@code measure} waits until the last has been due for 15 s and reads, for each, how long
 * after its deadline the breach was escalated (the escalation's own record in the database), and checks that no other
 * clock was touched. Goal: every breach escalated within 5 s of its deadline.
 */
public final class SlaBench {

  static final int OPEN = Integer.getInteger("bench.open", 100_000);
  static final int DUE = 1_000;
  static final int SPACING_MS = 30;
  static final int FIRST_DUE_SECONDS = 10;

  private final String postgres = System.getProperty("bench.postgres", "jdbc:postgresql://127.0.0.1:15432/");
  private final String database = System.getProperty("bench.database", "referral_bench");
  private final Path report = Path.of(System.getProperty("bench.report", "target/bench/sla.md"));

  private SlaBench() {}

  public static void main(String[] args) throws Exception {
    BenchSupport.quietLogging();
    SlaBench bench = new SlaBench();
    switch (args.length == 0 ? "" : args[0]) {
      case "prepare" -> BenchSupport.createDatabase(bench.postgres, bench.database);
      case "seed" -> bench.seed();
      case "measure" -> bench.measure();
      default -> {
        System.err.println("usage: SlaBench prepare|seed|measure");
        System.exit(2);
      }
    }
  }

  Connection connect() throws Exception {
    return DriverManager.getConnection(postgres + database, "postgres", "");
  }

  void seed() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("delete from referral_deadline where referral_id like 'bench-%'");
      s.execute("delete from referral_history where referral_id like 'bench-%'");
      s.execute("delete from referral_task where referral_id like 'bench-%'");
      s.execute("delete from referral where id like 'bench-%'");
      long started = System.nanoTime();
      s.execute("""
          insert into referral (id, person_id, requester_org, recipient_org, routing_rule, version, service_request,
            created_at, status, priority, updated_at)
          select 'bench-' || g, 'bench-person-' || (g %% 20000), 'GPP01', 'MHT0' || (g %% 5), 'v1:mental-health', 1,
            '{"resourceType":"ServiceRequest"}', now(), 'requested', 'urgent', now()
          from generate_series(1, %d) g""".formatted(OPEN));
      s.execute("""
          insert into referral_task (id, referral_id, status, version, resource, updated_at)
          select 'bench-task-' || g, 'bench-' || g, 'requested', 1, '{"resourceType":"Task"}', now()
          from generate_series(1, %d) g""".formatted(OPEN));
      // the default escalation route's first step is at the deadline: next_at = due_at
      s.execute("""
          insert into referral_deadline (referral_id, kind, started_at, due_at, rule, level, next_at)
          select 'bench-' || g, 'response', now(), d, 'mental-health', 0, d from (
            select g, case when g <= %d then now() + interval '%d seconds' + g * interval '%d milliseconds'
                           else now() + interval '4 hours' end as d
            from generate_series(1, %d) g) due""".formatted(DUE, FIRST_DUE_SECONDS, SPACING_MS, OPEN));
      System.out.printf("seeded %,d open referrals in %.1f s; %,d fall due over the next %d s%n", OPEN,
          (System.nanoTime() - started) / 1e9, DUE, FIRST_DUE_SECONDS + DUE * SPACING_MS / 1000);
    }
  }

  void measure() throws Exception {
    Thread.sleep((FIRST_DUE_SECONDS + DUE * SPACING_MS / 1000 + 15) * 1000L);
    List<Long> delays = new ArrayList<>();
    long open;
    long wrongly;
    try (Connection c = connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("""
          select (extract(epoch from breached_at - due_at) * 1000)::bigint from referral_deadline
          where referral_id like 'bench-%' and breached_at is not null and due_at <= now()""")) {
        while (rs.next()) {
          delays.add(rs.getLong(1));
        }
      }
      try (ResultSet rs = s.executeQuery("select count(*) from referral_deadline where referral_id like 'bench-%'"
          + " and next_at is not null")) {
        rs.next();
        open = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("select count(*) from referral_deadline where referral_id like 'bench-%'"
          + " and due_at > now() and level > 0")) {
        rs.next();
        wrongly = rs.getLong(1);
      }
    }
    long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
    String line = sorted.length == 0 ? "no breach escalated"
        : "%d ms / %d ms / %d ms / %d ms".formatted(at(sorted, 50), at(sorted, 95), at(sorted, 99),
            sorted[sorted.length - 1]);
    String md = """
        # SLA sweeper under load

        %,d open referrals with response clocks; %,d fell due, one every %d ms.

        | measure | value |
        |---|---|
        | breaches escalated | %,d of %,d |
        | delay from deadline to escalation, p50 / p95 / p99 / max | %s |
        | clocks escalated before their deadline | %d |
        | clocks still running (not yet due, or further steps scheduled) | %,d |
        """.formatted(OPEN, DUE, SPACING_MS, sorted.length, DUE, line, wrongly, open);
    System.out.print(md);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md);
  }

  static long at(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
