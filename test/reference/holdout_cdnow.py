#!/usr/bin/env python3
"""Independent oracle of sql/holdout_check_cdnow.sql: the CDNOW holdout check (calibration 39 weeks ending
1997-09-30, holdout the 39 weeks 1997-10-01 .. 1998-06-30) of BG/NBD, MBG/NBD and Pareto/NBD at their published
CDNOW estimates, computed from the transaction log with the published closed forms in mpmath (40 digits). It
shares no code with the extension; run once by hand, its figures are written into the test:

    python3 test/reference/holdout_cdnow.py ../shared/data/cdnow/CDNOW_sample.txt

Calibration summary per customer (sample_id): purchase days (several orders on one day are one purchase),
x = days - 1, t_x = (last day - first day) / 7, T = (1997-09-30 - first day) / 7 (weeks). Actual holdout
purchases = distinct purchase days after 1997-09-30.

Closed forms, E[X(T, T + t) | x, t_x, T] with t = 39 weeks:
  BG/NBD  Fader, Hardie & Lee (2005), eq. 10:
          (a+b+x-1)/(a-1) [1 - ((al+T)/(al+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(al+T+t))]
          / (1 + [x>0] a/(b+x-1) ((al+T)/(al+t_x))^(r+x))
  MBG/NBD Batislam, Denizel & Filiztekin (2007) (lifetimes' ModifiedBetaGeoFitter):
          (a+b+x)/(a-1) [1 - ((al+T)/(al+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(al+T+t))]
          / (1 + a/(b+x) ((al+T)/(al+t_x))^(r+x))
  Pareto/NBD Fader & Hardie (2005 note "A note on deriving the Pareto/NBD model and related expressions"),
          sections 5 and 6: (r+x)(be+T)/((al+T)(s-1)) [1 - ((be+T)/(be+T+t))^(s-1)] P(alive),
          P(alive) = 1 / (1 + s/(r+x+s) (al+T)^(r+x) (be+T)^s A0), A0 by eq. (19)/(20) with 2F1.
"""
import sys
from collections import defaultdict
from datetime import date

import mpmath as mp

mp.mp.dps = 40
CAL_END = date(1997, 9, 30)
HOLDOUT_END = date(1998, 6, 30)
HORIZON = mp.mpf(39)


def summaries(path):
    days = defaultdict(set)
    for line in open(path):
        f = line.split()
        d = f[2]
        days[int(f[1])].add(date(int(d[:4]), int(d[4:6]), int(d[6:])))
    out = []
    for cid, ds in sorted(days.items()):
        cal = sorted(d for d in ds if d <= CAL_END)
        hold = [d for d in ds if CAL_END < d <= HOLDOUT_END]
        first = cal[0]
        out.append((len(cal) - 1, mp.mpf((cal[-1] - first).days) / 7, mp.mpf((CAL_END - first).days) / 7,
                    len(hold)))
    return out


def bgnbd(p, x, tx, T, t):
    r, al, a, b = p
    top = (a + b + x - 1) / (a - 1) * (1 - ((al + T) / (al + T + t)) ** (r + x)
                                      * mp.hyp2f1(r + x, b + x, a + b + x - 1, t / (al + T + t)))
    bottom = 1 + (a / (b + x - 1) * ((al + T) / (al + tx)) ** (r + x) if x > 0 else 0)
    return top / bottom


def mbgnbd(p, x, tx, T, t):
    r, al, a, b = p
    top = (a + b + x) / (a - 1) * (1 - ((al + T) / (al + T + t)) ** (r + x)
                                  * mp.hyp2f1(r + x, b + x + 1, a + b + x, t / (al + T + t)))
    return top / (1 + a / (b + x) * ((al + T) / (al + tx)) ** (r + x))


def pareto(p, x, tx, T, t):
    r, al, s, be = p
    rxs = r + x + s
    if al >= be:
        f = lambda y: mp.hyp2f1(rxs, s + 1, rxs + 1, (al - be) / (al + y)) / (al + y) ** rxs
    else:
        f = lambda y: mp.hyp2f1(rxs, r + x, rxs + 1, (be - al) / (be + y)) / (be + y) ** rxs
    a0 = f(tx) - f(T)
    alive = 1 / (1 + s / rxs * (al + T) ** (r + x) * (be + T) ** s * a0)
    return (r + x) * (be + T) / ((al + T) * (s - 1)) * (1 - ((be + T) / (be + T + t)) ** (s - 1)) * alive


MODELS = [
    ("bgnbd", bgnbd, (0.243, 4.414, 0.793, 2.426)),        # Fader, Hardie & Lee (2005)
    ("mbgnbd", mbgnbd, (0.525, 6.183, 0.891, 1.614)),      # lifetimes' documented CDNOW fit
    ("pareto_nbd", pareto, (0.553, 10.578, 0.606, 11.669)),  # Fader, Hardie & Lee (2005)
]

if __name__ == "__main__":
    rows = summaries(sys.argv[1])
    actual = [h for (_, _, _, h) in rows]
    print("customers", len(rows), "actual holdout purchases", sum(actual))
    for name, fn, params in MODELS:
        p = [mp.mpf(str(v)) for v in params]
        pred = [fn(p, x, tx, T, HORIZON) for (x, tx, T, _) in rows]
        n = len(rows)
        mae = sum(abs(e - a) for e, a in zip(pred, actual)) / n
        rmse = mp.sqrt(sum((e - a) ** 2 for e, a in zip(pred, actual)) / n)
        mp_, ma = sum(pred) / n, mp.mpf(sum(actual)) / n
        cov = sum((e - mp_) * (a - ma) for e, a in zip(pred, actual))
        corr = cov / mp.sqrt(sum((e - mp_) ** 2 for e in pred) * sum((a - ma) ** 2 for a in actual))
        zero = [e for e, (x, _, _, _) in zip(pred, rows) if x == 0]
        print(f"{name}: predicted {mp.nstr(sum(pred), 15)} mae {mp.nstr(mae, 15)} rmse {mp.nstr(rmse, 15)} "
              f"correlation {mp.nstr(corr, 15)} frequency-0 mean {mp.nstr(sum(zero) / len(zero), 15)}")
