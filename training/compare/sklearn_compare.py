#!/usr/bin/python3
"""Side-by-side comparison with scikit-learn's RandomForest on bonafide's folds.

bonafide exports the feature matrix and its within-set folds, this script fits
RandomForestClassifier(n_estimators=200) on exactly those rows and folds, and
prints its ROC-AUC next to bonafide's:

    go run ./cmd/bonafide eval --sets instafake,kaggle,purba --export-folds /tmp/folds.csv
    go run ./cmd/bonafide eval --sets instafake,kaggle,purba --json > /tmp/ours.json
    /usr/bin/python3 training/compare/sklearn_compare.py /tmp/folds.csv --ours /tmp/ours.json

Run it with Debian's python3-sklearn (scikit-learn 1.2: `apt-get install -y
python3-sklearn`, for /usr/bin/python3). scikit-learn 1.2's forests cannot
take missing values, so a missing feature is filled with -1 (every feature is
a non-negative count, flag, length or share, or a log ratio, which -1 does not
collide with in practice); a column missing in every training row is dropped.
Within-set figures are the mean ROC-AUC over the folds (as cross_val_score
reports it); leave-one-dataset-out trains on every other set and tests on the
left-out one. --features restricts both to a subset of columns, for example
the four that all three Instagram sets share.
"""
import argparse
import csv
import json
import math
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score


def load(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = list(r)
    names = header[3:]
    sets = np.array([row[0] for row in rows])
    folds = np.array([int(row[1]) for row in rows])
    y = np.array([int(row[2]) for row in rows])
    X = np.array([[float(v) if v != "" else math.nan for v in row[3:]] for row in rows])
    return names, sets, folds, y, X


def fit_score(Xtr, ytr, Xte, seed):
    keep = ~np.all(np.isnan(Xtr), axis=0)
    Xtr = np.nan_to_num(Xtr[:, keep], nan=-1.0)
    Xte = np.nan_to_num(Xte[:, keep], nan=-1.0)
    rf = RandomForestClassifier(n_estimators=200, random_state=seed, n_jobs=1)
    t0 = time.process_time()
    rf.fit(Xtr, ytr)
    fit = time.process_time() - t0
    return rf.predict_proba(Xte)[:, 1], fit


def ours_table(path):
    if not path:
        return {}
    with open(path) as f:
        doc = json.load(f)
    out = {}
    for r in doc["results"]:
        m = r["metrics"]
        auc = r.get("mean_fold_roc_auc") if r["mode"] == "cv" else m.get("roc_auc")
        out[(r["mode"], r["set"], r["learner"])] = auc
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folds_csv")
    ap.add_argument("--ours", help="output of `bonafide eval --json` on the same sets, folds and seed")
    ap.add_argument("--features", help="comma-separated columns to use (default all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mode", default="cv,lodo")
    args = ap.parse_args()

    names, sets, folds, y, X = load(args.folds_csv)
    if args.features:
        cols = [names.index(c) for c in args.features.split(",")]
        X = X[:, cols]
    ours = ours_table(args.ours)
    learners = sorted({k[2] for k in ours})
    print("mode  set                 rows    sklearn-RF200 " + " ".join("%13s" % l for l in learners))
    for mode in args.mode.split(","):
        for s in sorted(set(sets)):
            m = sets == s
            if len(set(y[m])) < 2:
                continue
            if mode == "cv":
                aucs, fit = [], 0.0
                for f in sorted(set(folds[m])):
                    tr, te = m & (folds != f), m & (folds == f)
                    p, t = fit_score(X[tr], y[tr], X[te], args.seed)
                    fit += t
                    aucs.append(roc_auc_score(y[te], p))
                auc = float(np.mean(aucs))
            else:
                p, fit = fit_score(X[~m], y[~m], X[m], args.seed)
                auc = roc_auc_score(y[m], p)
            line = "%-5s %-18s %6d  %13.4f" % (mode, s, m.sum(), auc)
            for l in learners:
                v = ours.get((mode, s, l))
                line += " %13s" % ("%.4f" % v if v is not None else "-")
            print(line + "   (sklearn fit %.1f s CPU)" % fit, flush=True)


if __name__ == "__main__":
    main()
