#!/usr/bin/python3
"""examples/client.py: the loyalty extension from Python, with Debian's psycopg2 (apt-get install python3-psycopg2).

Run it after the SQL examples (00 .. 40), against the same database. The connection comes from the usual libpq
environment (PGHOST, PGPORT, PGUSER, PGDATABASE) or from a connection string as the first argument:

    /usr/bin/python3 examples/client.py "dbname=shop host=/var/run/postgresql"

(/usr/bin/python3: Debian's python3-psycopg2 is installed for the system Python, not for a pyenv or venv one.)

Two things to know:

1. Composite results (nps_summary, bgnbd_model, customer_summary_result, ...) reach psycopg2 as one string such
   as '(0.56,1.99,4.2,20.8,...)'. Ask for their fields as columns instead, with `(x).*` on a subquery:
       SELECT store, (s).* FROM (SELECT store, nps_stats(score) AS s FROM survey_responses GROUP BY store) AS t
   (psycopg2.extras.register_composite can also map a composite type to a Python named tuple.)

2. A model passed back as a parameter needs an explicit cast: `p_alive(%s::bgnbd_model, ...)`. p_alive,
   expected_purchases, clv_estimate ... are overloaded for four model types. Without the cast, psycopg2 sends a
   Python tuple as a row constructor (type `record`) and a string as a literal of unknown type, and PostgreSQL
   cannot choose: "function p_alive(record, integer, numeric, numeric) is not unique" (SQLSTATE 42725).

Also: nps, nps_stats and csat take smallint, integer and bigint scores alike, so the BIGINT columns that pandas'
to_sql writes need no cast (docs/api.md).
"""
import sys

import psycopg2
import psycopg2.errors


def main():
    connection = psycopg2.connect(sys.argv[1] if len(sys.argv) > 1 else "")
    connection.autocommit = True
    cursor = connection.cursor()

    # 1. A composite result read as columns: NPS with its interval per store.
    cursor.execute("""
        SELECT store, (s).*
          FROM (SELECT store, nps_stats(score) AS s FROM survey_responses GROUP BY store) AS t
         ORDER BY store""")
    columns = [column.name for column in cursor.description]
    print("NPS per store:", ", ".join(columns))
    for row in cursor.fetchall():
        stats = dict(zip(columns, row))
        print(f"  {stats['store']}: NPS {stats['nps']:.1f} "
              f"(95% interval {stats['ci_low']:.1f} .. {stats['ci_high']:.1f}, {stats['respondents']} answers)")

    # 2. The latest stored model, once as its fields (columns) and once as the composite's text.
    cursor.execute("""
        SELECT model_id, as_of, (purchases).*, purchases::text AS purchases_text
          FROM loyalty_models WHERE converged ORDER BY fitted_at DESC, model_id DESC LIMIT 1""")
    row = cursor.fetchone()
    columns = [column.name for column in cursor.description]
    model = dict(zip(columns, row))
    model_fields = tuple(model[name] for name in
                         ("r", "alpha", "a", "b", "log_likelihood", "customers", "converged", "iterations"))
    print(f"BG/NBD model {model['model_id']} as of {model['as_of']}: r {model['r']:.3f}, "
          f"alpha {model['alpha']:.3f}, a {model['a']:.3f}, b {model['b']:.3f}")

    # 3. The model passed back to score a customer who is not in the database: 6 repeat purchases, the last
    # one 20 weeks after the first, first purchase 40 weeks ago. Both forms need the cast.
    customer = (6, 20.0, 40.0)
    cursor.execute("SELECT p_alive(%s::bgnbd_model, %s, %s, %s)", (model["purchases_text"],) + customer)
    from_text = cursor.fetchone()[0]
    cursor.execute("SELECT p_alive(%s::bgnbd_model, %s, %s, %s)", (model_fields,) + customer)
    from_fields = cursor.fetchone()[0]
    print(f"P(alive) of customer {customer}: {from_text:.4f} (model as text), {from_fields:.4f} (as fields)")
    assert abs(from_text - from_fields) < 1e-12, (from_text, from_fields)

    # Without the cast PostgreSQL cannot pick among the p_alive overloads.
    try:
        cursor.execute("SELECT p_alive(%s, %s, %s, %s)", (model_fields,) + customer)
        raise AssertionError("p_alive on an uncast record was expected to fail")
    except psycopg2.errors.AmbiguousFunction as error:
        print("without the cast:", str(error).splitlines()[0])

    # 4. The campaign list written by pick_campaign_targets (40_campaign_targets.sql), rescored here with the
    # model it was scored with: the stored P(alive) is the model's.
    cursor.execute("""
        SELECT t.customer_id, t.p_alive, t.clv_next_year,
               p_alive(m.purchases, c.repeat_purchases, c.recency_weeks, c.age_weeks) AS rescored
          FROM campaign_targets AS t
          JOIN customer_scorecard_snapshot AS c ON c.customer_id = t.customer_id
          JOIN loyalty_models AS m ON m.model_id = t.model_id
         WHERE t.campaign = %s
         ORDER BY t.clv_next_year DESC""", ("win-back 2026-07",))
    targets = cursor.fetchall()
    assert targets, "the campaign list is empty"
    for customer_id, p_alive, clv, rescored in targets:
        assert abs(p_alive - rescored) < 1e-9, (customer_id, p_alive, rescored)
    print(f"campaign 'win-back 2026-07': {len(targets)} customers, "
          f"expected value of the next year {sum(t[2] for t in targets):.2f}; top: customer {targets[0][0]} "
          f"(P(alive) {targets[0][1]:.3f}, CLV {targets[0][2]:.2f})")

    # 5. Scores from a BIGINT column (as pandas' to_sql makes them): nps(bigint) needs no cast.
    cursor.execute("SELECT nps(score) FROM unnest(%s::bigint[]) AS score", ([10, 9, 8, 6, 10],))
    print(f"NPS of 5 answers from a BIGINT column: {cursor.fetchone()[0]:.1f}")

    connection.close()
    print("client: ok")


if __name__ == "__main__":
    main()
