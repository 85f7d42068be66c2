"""The guide's words: one :class:`Section` per idea, in reading order. Edit freely.

A section's ``body`` is plain text with a little markup:

- paragraphs are separated by a blank line; ``<b>``, ``<i>`` and ``&nbsp;`` may be used;
- a paragraph of the form ``[picture NAME]`` shows the picture ``NAME`` of
  ``guide_pictures.PICTURES``;
- ``links`` are the "See it in the app" box: (target, words), where the target is one of
  ``guide.VIEW_TARGETS`` (the window opens that view when the link is clicked).

Keep each section short (150 to 350 words), one idea, plain words; say what the user will
see in the app, with the app's own names for things.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One page of the guide."""

    key: str
    title: str
    body: str
    links: tuple[tuple[str, str], ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "parameters",
        "Parameters and hyperparameters",
        """
A model learns from your table. What it learns are its <b>parameters</b>: the weight
of each input in a linear model, the questions and split points of a decision tree,
the support vectors of a support vector machine. Nobody types them in; the model
finds them when it is fitted to the training rows.

[picture parameters]

<b>Hyperparameters</b> are the settings you choose <i>before</i> the model is fitted:
how deep a tree may grow (<b>max_depth</b>), how strongly a linear model is held back
(<b>C</b> or <b>alpha</b>), how many neighbours k-nearest neighbours asks
(<b>n_neighbors</b>). They decide what the model is able to learn, but the data cannot
set them by itself: fitting only ever fills in the parameters.

<b>Tuning</b> means trying many hyperparameter settings, fitting the model with each,
and keeping the setting whose model predicts <i>unseen</i> rows best. Each setting
tried is a <b>trial</b>. This app does the trying for you, on all the computer's cores,
and shows you what happened.

In the Models step you tick the models to tune and, for each hyperparameter, the
values or the range to try. Click a hyperparameter to read what it controls and which
way it pushes the model towards underfitting or overfitting. After a search, the Model
inspector shows both sides for the trial you select: what you set, and what the model
learned.
""",
        (("models", "the hyperparameters of each model, and their ranges"),
         ("results/Model inspector", "what the selected trial's model learned from your data")),
    ),
    Section(
        "manual-grid",
        "Manual and grid search",
        """
<b>Manual search</b> is one trial with values you set yourself in the Models step. It is
the quickest way to check one idea ("does a depth of 5 do better than the default?")
or to score a setting someone recommended. The app still cross-validates it, so its
score is as trustworthy as any other trial's.

<b>Grid search</b> tries every combination of a few values per hyperparameter. Three
values of C times four of gamma make a grid of 12 trials. It is simple, it is
complete over the values you gave, and running it twice gives the same trials.

[picture manual_grid]

The catch is the cost: the number of trials is the <i>product</i> of the value counts.
Five hyperparameters with five values each make 3,125 trials, each fitted once per
fold. The Search step shows this cost before anything runs ("40 trials × 5 folds =
200 fits") with an estimate of the time. For a number range, you set how many grid
points it gets in the Models step.

A grid also spends most of its trials on settings that do not matter much. If only one
of two hyperparameters really changes the score, a 3 × 3 grid tries just three values
of the one that counts (see the next section).

Use a grid for one or two hyperparameters with a few sensible values each, or to look
closely around a setting another search found. In the results, the By value view shows
every trial's score grouped by the value it used: with a grid, each value has the same
number of trials, so the boxes are easy to compare.
""",
        (("search", "choose the strategy and see the cost before it runs"),
         ("models", "set the values a grid tries"),
         ("run", "the queue, the progress and the time left while it runs"),
         ("results/By value", "scores grouped by each hyperparameter's value")),
    ),
    Section(
        "random",
        "Random search",
        """
<b>Random search</b> draws each trial's settings at random from the ranges you gave:
a number range is sampled evenly (or evenly on a log scale, for ranges that span
several powers of ten, like C from 0.001 to 1,000), and a list is sampled one choice at
a time. You decide how many trials it gets, or how long it may run.

Why would chance beat a tidy grid? Because usually only a few hyperparameters matter
much. With nine trials, a grid tries three values of each setting; random search tries
nine different values of <i>every</i> setting, so the one that matters is explored three
times as finely.

[picture grid_random]

Random search also has no fixed size: stop it when the time is up and every finished
trial is still useful. It cannot learn from its own results, though: trial 100 is
drawn just as blindly as trial 1. It is a good first search on a new problem, to see
which settings matter and where the good region lies.

In the results, the Score vs setting view puts one dot per trial against each
hyperparameter: where the dots climb, that setting matters, and the best values are
under the highest dots. The Importance view says how much of the variation in score
each hyperparameter explains.
""",
        (("search", "choose Random and the number of trials"),
         ("results/Score vs setting", "each trial's score against one hyperparameter"),
         ("results/Importance", "which hyperparameters matter in your study")),
    ),
    Section(
        "bayesian",
        "Bayesian search",
        """
<b>Bayesian search</b> learns from the trials that have finished where to look next.
The app uses TPE (the Tree-structured Parzen Estimator, from the Optuna library). It
starts with a few random trials. Then it splits the finished trials into the good ones
and the rest, and proposes settings that look like the good ones and unlike the rest.
Each new result sharpens its picture.

[picture bayesian]

The effect: the first trials are spread out, later trials gather in the region where
the scores were high. With the same number of trials it usually finds a better setting
than random search, especially when there are several hyperparameters and each trial
is costly.

Two things to know. First, it needs enough trials to learn: with ten trials it is
barely different from random search; give it 50 or more. Second, it looks hard in one
region, so it may miss a good region elsewhere. If the History view shows the best
score still climbing at the end, give it more trials.

In the results, the History view draws every trial's validation score and the best so
far: a Bayesian search climbs faster than a random one. The Parallel view draws each
trial as a line across one axis per hyperparameter, darker for higher scores: the dark
lines bunch together where the search has settled.
""",
        (("search", "choose Bayesian (TPE)"),
         ("results/History", "the best score so far, trial by trial"),
         ("results/Parallel", "where the good trials settle, one axis per hyperparameter")),
    ),
    Section(
        "evolutionary",
        "Evolutionary search",
        """
<b>Evolutionary search</b> borrows from nature. It works with a <b>population</b> of
trials, a <b>generation</b> at a time. The best trials of a generation become the
parents of the next: their settings are mixed and changed a little, so the next
generation tries settings near the good ones, with some variety.

[picture evolution]

The app offers two kinds (the Algorithm box of the Search step). <b>CMA-ES</b> suits
number ranges: it moves a cloud of trials towards better scores and learns which
directions pay. <b>NSGA-II</b>, a genetic algorithm, also handles lists of choices such
as a kernel or a penalty type. "Automatic" picks CMA-ES when every searched setting is
a number, NSGA-II otherwise.

You set the population size ("trials per generation"). A larger population explores
more before it closes in, but needs more trials: give the search several generations'
worth, say ten times the population.

Evolutionary search is sturdy on awkward score landscapes, with several good regions or
noisy scores, and it runs a whole generation at once, which keeps every core busy. With
few trials, Bayesian search usually does better.

In the results, the History view shows the generations: the scores rise in steps as
each generation improves on the last. The Score vs setting view shows the trials
closing in on the good values.
""",
        (("search", "choose Evolutionary, the algorithm and the population"),
         ("results/History", "the scores, generation after generation"),
         ("results/Score vs setting", "the trials closing in on good values")),
    ),
    Section(
        "halving",
        "Successive halving: stopping weak trials early",
        """
Many trials are clearly poor after a little work. <b>Successive halving</b> gives every
candidate a small budget first, keeps the best part, and gives only those more.

[picture halving]

The budget is either <b>folds</b> (a candidate runs on one fold first, then on more) or
<b>rows</b> (it trains on a small sample of the training rows first, then on more).
The search runs in <b>rungs</b>. At each rung the best 1/factor of the candidates go on,
with factor times the budget: with a factor of 3, the best third. The last rung gives
the survivors the full budget, so their scores are ordinary cross-validated scores.

The others are stopped and shown in the trial table as <b>Pruned</b>, with the score they
had reached. They are not failures: they were simply not good enough to be worth the
full cost. The study's summary line says how many fits halving saved.

The risk: a setting that starts slowly but finishes well can be pruned early. A model
that needs many rows to shine (a large neural network, say) may look weak on a small
sample. If you suspect this, use a smaller factor or a larger minimum budget.

The candidates are drawn as random search draws them, or are a grid's points when no
number of trials is given.
""",
        (("search", "choose Successive halving, the factor and the budget"),
         ("results", "the trial table: pruned trials and the saving")),
    ),
    Section(
        "cross-validation",
        "Cross-validation",
        """
A model must be judged on rows it did not learn from. Scoring it on its own training
rows flatters it: a model that memorizes scores perfectly there and badly on anything
new.

The simplest fix is to hold some rows back for validation. But one split is luck: a
different split would give a different score. <b>k-fold cross-validation</b> uses every
row for both jobs. The rows are cut into k parts (folds), often 5. The model is fitted
5 times; each time one fold validates and the other four train. Every row is
validated exactly once.

[picture kfold]

A trial's score is the <b>mean</b> of its fold scores; their <b>spread</b> (standard
deviation) shows how much the score depends on the split. Two trials whose scores
differ by less than that spread are not really different.

The Search step offers other schemes for special data. <b>Stratified</b> folds keep the
class proportions in every fold (the app does this for classification). <b>Repeated</b>
k-fold repeats the whole thing with other shuffles, for steadier scores. <b>Group</b>
k-fold keeps all rows of one group (a patient, a site) in the same fold, so the model is
judged on groups it never met. <b>Time-series</b> split always trains on earlier rows and
validates on later ones, as the model will be used.

Preprocessing (filling gaps, encoding categories, scaling) is learned inside each fold
from its training rows only, so nothing about the validation rows leaks in.

The Fold scores view shows each top trial's fold scores as a box with dots.
""",
        (("search", "choose the validation scheme and the number of folds"),
         ("results/Fold scores", "the fold scores of your top trials"),
         ("results/All scores", "how the scores of all trials are spread")),
    ),
    Section(
        "optimism",
        "Why the best score is too good",
        """
Every validation score carries some luck: a different split of the rows would give a
slightly different number. One trial's score is still a fair estimate for that
trial. But after a search you do not look at one trial: you pick the <b>highest</b>
of hundreds.

Imagine 30 settings that are, in truth, all equally good. Their scores still scatter
around the true value, some up, some down. The highest of them sits above the truth
only because it was the luckiest. Pick it, and its score promises more than the model
will give on new data. This gap is the <b>optimism</b> of selection.

[picture optimism]

The more trials you compare and the noisier the scores (few rows, few folds), the
larger the optimism. It does not mean the search was useless: the chosen setting is
usually a good one. It means its score is an overestimate, so do not report it as what
the model will achieve.

Three things help:

<b>A held-out test set</b>: rows the search never sees, scored once at the end.

<b>Nested cross-validation</b>: the whole search repeated inside an outer split, scored
on rows it did not choose on.

<b>Reading the spread</b>: in the All scores view, a best trial far above a crowd of
near-equal trials is probably partly luck. In the Fold scores view, overlapping boxes
mean the trials are not really different. The verdict line says when the runner-up is
"within noise of the best".

The next section shows how a test set and nested cross-validation work.
""",
        (("results/All scores", "the spread of your study's trial scores"),
         ("results/Fold scores", "whether the top trials really differ"),
         ("search", "add a test set or nested cross-validation")),
    ),
    Section(
        "test-nested",
        "A test set and nested cross-validation",
        """
To know how well the tuned model will do on new data, score it on rows that played no
part in choosing it.

<b>A held-out test set.</b> In the Search step, set "Test set" to a share of the rows
(20 % is common). Those rows are put aside before the search starts. The search
cross-validates on the rest. When it ends, the best trial is refit on all the other
rows and scored <b>once</b> on the test rows. That single score is honest, because
nothing was chosen on it. It shows in bold in the study's summary line on the Results
page ("test set accuracy 0.93").

[picture held_out]

Look at the test score once and do not go back to tune more because of it: then the
test rows would be helping to choose, and their score would be optimistic too.

<b>Nested cross-validation</b> does the same job without setting rows aside for good,
which matters for small tables. Set "Nested CV" to a number of outer folds. The whole
search runs inside each outer fold's training part, and its best trial is scored on
that outer fold. The mean and spread of those outer scores estimate how good the
<i>tuning procedure</i> is. Then the search runs once more on all the rows to give the
model you take away. It costs about (outer folds + 1) times a plain search.

[picture nested]

With nested CV, the outer folds are already test sets, so the app switches the test
set off.
""",
        (("search", "set a test set or nested CV"),
         ("results", "the test set or nested CV score, in the study's summary")),
    ),
    Section(
        "bias-variance",
        "Bias, variance, underfitting and overfitting",
        """
A model can fail in two opposite ways.

<b>Underfitting</b> (high <b>bias</b>): the model is too simple for the pattern. It
scores poorly on the training rows <i>and</i> on the validation rows. A straight line
through a curve; a tree allowed only one question.

<b>Overfitting</b> (high <b>variance</b>): the model is flexible enough to learn the
training rows by heart, noise included. It scores very well on them and clearly worse
on new rows. Refit on other rows, it would come out quite different: that is the
variance.

[picture bias_variance]

As a model gets more flexible (deeper trees, larger C, fewer neighbours), the training
score keeps rising. The validation score rises at first, peaks, then falls as
overfitting sets in. The best setting sits near the peak, between the two regions.

The app judges a trial from your study's own scores, never from the gap alone. For
each setting that moves flexibility it asks: did a value tried on either side score
better, by more than the <b>noise</b> (one standard error of the mean over the folds)?
A more flexible value scored better: <b>underfitting</b>. A simpler one did:
<b>overfitting</b>. Nothing tried scores better: a <b>good fit</b>, even with a wide
gap between training and validation.

[picture wide_gap]

A random forest fits its training rows almost perfectly at every depth, so its gap is
always wide. If no shallower forest scored better, the gap says high variance, and the
cure is more rows (the learning curve tells), not a smaller model.

A trial that barely beats a constant prediction, on its training rows too, is
underfitting. When the best sits at the edge of a range and the score still rises
toward it, or the study varied nothing that moves flexibility, the verdict is <b>not
enough evidence</b>, with what to run next. The advice only names directions where
your study scored higher, such as "Try smaller max_depth (around 5)".

The Under/overfit view draws training (orange) and validation (blue) score against one
hyperparameter and shades where a more flexible value scored better beyond noise
(underfitting) or a simpler one did (overfitting).
""",
        (("results/Under/overfit", "the underfit/overfit curve of your current study"),
         ("results", "the verdict for the selected trial"),
         ("results/Learning curve", "whether more rows would help")),
    ),
    Section(
        "learning-curve",
        "Learning curves: would more data help?",
        """
A <b>learning curve</b> refits one trial on growing parts of each fold's training rows
(from a tenth up to all of them) and scores each fit on the validation rows. It
answers a practical question: would collecting more rows improve the model?

[picture learning_curves]

<b>Validation still rising</b> at the right end, with a gap to the training score: the
model has not seen enough examples yet. More rows would help, and so would anything
that reduces overfitting.

<b>Both curves flat and close together, and low</b>: the model has learned all it can.
More rows will not help. It needs more flexibility (a more complex model, weaker
regularization) or better inputs.

<b>Both flat and high, close together</b>: the model is doing as well as it can on this
data. You are done.

In the app, select a trial in the table (or a point in any plot), open the Learning
curve view and press "Compute learning curve of trial N". The fits run in the worker
processes, so the window stays responsive. Training is drawn in orange and validation
in blue, as everywhere, with one-standard-deviation bands over the folds. Once a
learning curve exists, the verdict line adds what it says, for example "The learning
curve is still rising: from 400 to 800 training rows the validation score rose by
about 0.02."
""",
        (("results/Learning curve", "compute the learning curve of the selected trial"),
         ("results", "select a trial in the table")),
    ),
    Section(
        "regularization",
        "Regularization: L1, L2 and strength",
        """
<b>Regularization</b> holds a model back on purpose: during fitting, large weights cost
a penalty, so the model only uses an input strongly when the data really supports it.
It is the main way to move a linear model between underfitting and overfitting.

<b>Strength.</b> How hard the penalty bites. In scikit-learn it is set in two opposite
ways. <b>alpha</b> (ridge, lasso, elastic net, neural networks) is the strength itself:
larger alpha, stronger penalty, simpler model. <b>C</b> (logistic regression, support
vector machines) is the <i>inverse</i>: smaller C, stronger penalty. Too strong and the
model underfits; too weak and it may overfit. These ranges span powers of ten, so the
app searches them on a log scale.

<b>L2</b> (ridge) shrinks every weight towards zero, but hardly ever to exactly zero.
<b>L1</b> (lasso) pushes weak weights all the way to zero, so those inputs drop out:
the model chooses its inputs. <b>Elastic net</b> mixes the two; <b>l1_ratio</b> sets the
mix.

[picture regularization]

In the Models step, C, alpha, penalty and l1_ratio are hyperparameters like any other.
In the results, the Model inspector refits the selected trial on all rows and lists its
weights. Its "Compute regularization path" button shows each weight as the strength
changes, marks the inputs whose weight is exactly zero, and draws the training and
validation scores along the same path, so you see where the penalty starts to cost
accuracy. The Under/overfit view, set to C or alpha, shows the same trade-off from the
trials you ran.
""",
        (("results/Model inspector", "the weights and the regularization path"),
         ("models", "search C, alpha, penalty and l1_ratio"),
         ("results/Under/overfit", "the score against the strength")),
    ),
    Section(
        "errors",
        "How a model errs: confusion matrix, ROC curves, residuals",
        """
A score says how often a model is right on average. The <b>How it errs</b> view says
where it is wrong. It uses <b>out-of-fold predictions</b>: each row is predicted by the
model fitted on the other folds, never on itself, so the mistakes are the ones it would
make on new rows. Press "Compute predictions" once per trial: it takes one fit per fold.

The <b>confusion matrix</b> has one row per true class and one column per predicted class.
The diagonal holds the rows it got right; every other cell is a kind of mistake, with its
count and its share of the true class. Click a cell to list its rows, then look them up in
your file: mistakes often share a cause. Under it, <b>recall</b> is the share of a class
the model finds, <b>precision</b> the share of its calls that are right.

[picture confusion]

The <b>ROC curve</b> shows, for every threshold on the model's score, the true-positive
rate against the false-positive rate. An area (AUC) of 1 ranks every positive above every
negative; 0.5 is chance. With rare classes, the <b>precision-recall curve</b> is the
more honest picture. The <b>calibration curve</b> asks whether "70 % sure" is right 70 %
of the time; the Brier score is 0 when it always is.

For two classes, the <b>decision threshold</b> view lets you say what a false positive and
a false negative cost you. It finds the threshold with the lowest cost per row, which is
often far from 0.5 when the costs differ.

For a number target, <b>predicted against actual</b> should hug the diagonal. The
<b>residuals</b> (actual minus predicted) should scatter evenly around zero; a funnel or a
curve means the model misses a pattern. The largest errors are listed by row.
""",
        (("results/How it errs", "your selected trial's mistakes"),
         ("results/Fold scores", "how its score varies over the folds")),
    ),
    Section(
        "one-se",
        "The one-standard-error choice",
        """
The trial with the highest mean validation score is the <b>best</b>. But its lead is often
smaller than the noise in the scores. A simpler model that scores almost as well is
usually the safer choice: it tends to generalize as well or better, is easier to
explain, and is often faster.

The <b>one-standard-error rule</b> (from Breiman and colleagues, 1984) makes "almost as
well" precise. The app takes the best trial's fold scores, computes their standard
error (the standard deviation divided by the square root of the number of folds), and
draws a line that far below the best score. Repeated k-fold and shuffle-split reuse the
same rows in many splits, so their standard error is corrected for the overlap (Nadeau
and Bengio, 2003): it comes out larger, as it should. Among the trials above the line, it picks
the <b>simplest</b>.

[picture one_se]

"Simplest" comes from the model catalog: for each model, one main setting says which
way is simpler. Smaller max_depth for a tree, smaller C for a support vector machine,
more neighbours for k-nearest neighbours, an L1 penalty before L2. Ties go to the next
setting, then to the higher score.

The plots of trials mark the two the same way: the best trial with a red <b>star</b> (★)
and the one-standard-error choice with a green <b>diamond</b> (◆). The line under the verdict
names both, and says when the runner-up is "within noise of the best". When they are
the same trial, no simpler setting came close enough.

Which to take? If you need the last bit of score and the data are plentiful, the best.
If the model must be explained, be robust, or run fast, the diamond.
""",
        (("results/All scores", "the best and the one-standard-error choice among all trials"),
         ("results/Under/overfit", "both marked on the underfit/overfit curve"),
         ("results/Fold scores", "the fold scores behind the standard error")),
    ),
    Section(
        "importance",
        "Which settings matter",
        """
After a search with many trials, it is worth asking which hyperparameters actually
changed the score. The answer tells you where to search next time, and which settings
you can leave at their defaults.

[picture importance]

The <b>Importance</b> view answers with one bar per hyperparameter: the share of the
variation in validation score it explains (fANOVA, computed by the Optuna library). The
shares add up to 1. A setting that only applies to some trials (gamma applies only with
some kernels) is drawn in grey: it is judged within those trials alone, so its share is
not comparable with the others. Importance needs a good number of varied trials: after
ten trials it is a guess.

Three views let you look for yourself:

<b>Score vs setting</b>: one dot per trial, its score against the value it tried. A
clear rise or peak means the setting matters; a flat cloud means it does not.

<b>By value</b>: the trials' scores grouped by value (or range), as boxes. Where the
boxes sit high, that value works.

<b>Parallel</b>: each trial is a line crossing one axis per hyperparameter, darker for
higher scores. Where the dark lines pass through one part of an axis, that part is
good; where they spread over the whole axis, the setting hardly matters.

Clicking a point in any view selects that trial in the table, and the other way round.
""",
        (("results/Importance", "the importance of each hyperparameter"),
         ("results/Score vs setting", "score against one setting"),
         ("results/By value", "scores grouped by value"),
         ("results/Parallel", "all settings at once")),
    ),
    Section(
        "compare",
        "Comparing models fairly",
        """
You have tuned two models, say a random forest and a support vector machine, and the
forest's best score is 0.02 higher. Is it really better, or is that the noise?

Compare them on the <b>same folds</b>: the same data, target, validation scheme, number
of folds, seed and test set. Then fold 1 holds the same rows for both, and you can look
at the difference fold by fold. Winning every fold is stronger evidence than two means.

[picture compare]

The folds share most of their training rows, so their scores are not independent and an
ordinary paired t-test is too sure of itself. The <b>corrected resampled t-test</b> of
Nadeau and Bengio (2003) widens the uncertainty to allow for this overlap.

<b>Not significant is not the same as equivalent.</b> A p above 0.05 only says that a few
folds cannot rule out chance: a model that lost every fold by a wide margin can still
have p = 0.06. So the app also gives the chances that matter, from the <b>correlated
Bayesian t-test</b> (Benavoli and others, 2017, with the same correction): that the best
is better, that the two are <b>practically equivalent</b>, that the other is better.
Practically equivalent means the scores differ by less than the margin you set,
"Equivalent when within ±": 0.01 by default, one point on a score from 0 to 1 (on an
error such as mean squared error, 1 % of the best's error).

The words follow the chances: "almost certainly" from 95 %, "probably" from 80 %. Only
when the two are practically equivalent does the app say to prefer the simpler or faster
one. When no outcome reaches 80 %, the evidence does not settle it: run more folds
(repeated k-fold), or widen the margin if a difference that size does not matter.
Studies cut into different folds are compared on their means only; studies run on
different data are not compared.

Keep the optimism of selection in mind too: each study's best score is a little too
good, so compare on a test set or nested CV when you can.
""",
        (("compare", "your studies side by side, with the chances"),
         ("results/Fold scores", "one study's scores fold by fold")),
    ),
    Section(
        "predict",
        "Using the model on new data",
        """
Tuning ends with a choice: the best trial or the one-standard-error choice. To use it,
the app refits that trial on all the training rows (the test rows too are kept out if
you set a test set) and saves it as a <b>model file</b>: a scikit-learn pipeline that
holds the preprocessing (filling gaps, encoding categories, scaling) and the fitted
model, with a small description file beside it (versions, settings, scores).

[picture predict]

<b>Predict on new data</b> (Ctrl+P, in the File menu and on the Results page) takes a
study's chosen trial or a saved model file and a new table, and writes a new CSV: the
table's rows with a prediction column added (for classes, the probability of each too).
Your table itself is never changed. The new table must have the same input columns as the
data the model was trained on, with the same names and the same kinds of values; the
target column is not needed. Rows with gaps are handled by the preprocessing the model
learned, as they were during training.

Some things to check before you trust the predictions:

The new rows should come from the same world as the training rows: the same kind of
customers, the same instrument, the same period. A model does not know when it is
outside what it has seen.

The score to expect is the test set or nested CV score, not the best validation score
(see "Why the best score is too good").

A model file is saved as a .skops file unless you choose a pickle (.pkl). Opening a
.skops file runs no code: the app loads it only if it holds nothing but the pieces of its
own models. A pickle can run code when opened: only open pickles you made yourself or got
from someone you trust; the app loads one only after you tick "I trust this file". Either
way, it loads only the very file that was exported (its .json file keeps its checksum).
""",
        (("predict", "open Predict on new data"),
         ("data", "the columns of the table the model learned from"),
         ("results", "choose the trial to use")),
    ),
)
