package mapping

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"

	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Bounds that keep a hostile or mistaken expression from hurting a run: what a registrar writes is a
// line or two, and a field value a SIS accepts is far below maxText.
const (
	maxExprLen   = 2000     // characters of an expression
	maxNodes     = 1000     // parsed nodes of an expression
	memoryBudget = 10_000   // list items an expression may create per record (ranges, list literals, sort)
	workBudget   = 10_000   // steps an expression may take per record: see meter
	maxText      = 64 << 10 // bytes of any text an expression produces
)

// builtins are the expr-lang builtins an expression may call besides the helpers: none has side effects,
// reads the clock, or grows a value beyond what the budgets and maxText bound (repeat, reduce, concat and
// flatten can; now and date read the clock).
var builtins = []string{
	"all", "none", "any", "one", "filter", "map", "find", "findIndex", "findLast", "findLastIndex", "count",
	"sum", "sortBy", "sort", "len", "abs", "ceil", "floor", "round", "int", "float", "string", "trimPrefix",
	"trimSuffix", "hasPrefix", "hasSuffix", "indexOf", "lastIndexOf", "max", "min", "first", "last", "get",
	"take", "keys", "values", "reverse", "uniq", "toJSON",
}

// Columns of the roles and terms lists an expression sees.
var (
	roleColumns = []string{"role", "roleType", "orgSourcedId", "beginDate", "endDate"}
	termColumns = []string{"sourcedId", "title", "type", "startDate", "endDate", "schoolYear"}
)

// envShape is what the expressions of one entity's mapping can read: the environment's types, so expr
// checks names at compile time, and every readable name, for suggestions.
type envShape struct {
	types    types.Map
	readable []string
}

func newEnvShape(e roster.Entity, imp bool) envShape {
	t := types.Map{"metadata": types.Map{types.Extra: types.String}}
	readable := readableFor(e, imp)
	for _, name := range readable {
		prefix, col, dotted := strings.Cut(name, ".")
		switch {
		case dotted:
			m, _ := t[prefix].(types.Map)
			if m == nil {
				m = types.Map{}
				t[prefix] = m
			}
			m[col] = types.String
		case name == "roles":
			t[name] = types.Array(stringMap(roleColumns))
		case name == "terms":
			t[name] = types.Array(stringMap(termColumns))
		default:
			t[name] = types.String
		}
	}
	return envShape{types: t, readable: readable}
}

func stringMap(keys []string) types.Map {
	m := types.Map{}
	for _, k := range keys {
		m[k] = types.String
	}
	return m
}

// reads are the environment variables expressions read and, for demographics, school and course, the
// keys to build: those written after the dot, or all of them when an expression uses the map otherwise
// (keys(school), school[name]). Building only these keeps mapping a record cheap.
type reads map[string][]string

// merge adds the reads of another expression.
func (r reads) merge(other reads) {
	for name, keys := range other {
		r[name] = append(r[name], keys...)
	}
}

// environment builds the variables p's expressions read for one record.
func (p *Program) environment(src *Source) map[string]any {
	env := make(map[string]any, len(p.reads))
	schema := roster.Schema(p.entity)
	for name, keys := range p.reads {
		switch name {
		case "metadata":
			m := make(map[string]string, len(src.Record.Metadata))
			for _, v := range src.Record.Metadata {
				m[v.Name] = v.Value
			}
			env[name] = m
		case "demographics", "school", "course":
			env[name] = columns(relativeOf[name], src.relative(name), keys)
		case "role":
			env[name] = primaryRole(src.Roles)
		case "roles":
			env[name] = rows(src.Roles, roleColumns)
		case "terms":
			env[name] = rows(src.Terms, termColumns)
		case workVar:
			env[name] = &work{} // shared by the record's expressions, each starting from 0 steps
		default:
			env[name] = column(src.Record, schema.Index(name))
		}
	}
	return env
}

// rows is records as a list of maps of the given columns.
func rows(records []roster.Record, cols []string) []map[string]string {
	list := make([]map[string]string, len(records))
	for i, r := range records {
		m := make(map[string]string, len(cols))
		for _, c := range cols {
			m[c] = r.Get(c)
		}
		list[i] = m
	}
	return list
}

// compileExpr checks src against the environment and compiles it; it returns the top-level names the
// program reads, or the problems (positions set, field left to the caller).
func compileExpr(src string, env envShape) (*vm.Program, reads, []Problem) {
	if strings.TrimSpace(src) == "" {
		return nil, nil, []Problem{{Message: "the transformation has no expression. Write one, for example upper(familyName)"}}
	}
	if n := utf8.RuneCountInString(src); n > maxExprLen {
		return nil, nil, []Problem{{Message: fmt.Sprintf("the expression is %d characters long; the most is %d. Split the work over simpler fields", n, maxExprLen)}}
	}
	// Type-checking runs without the meter: the meter's calls return any, which would hide types, and
	// expr does not re-check calls it typed before a patch, so it would miss unknown names inside them.
	checked, err := expr.Compile(src, options(env)...)
	if err != nil {
		return nil, nil, []Problem{exprProblem(err, env)}
	}
	refs, problems := inspect(checked, env)
	if len(problems) > 0 {
		return nil, nil, problems
	}
	m := &meter{}
	prog, err := expr.Compile(src, append(options(env), expr.Env(env.metered()), expr.Patch(m),
		expr.Function(spendFunc, spend, new(func(any, any) any)))...)
	if err != nil {
		return nil, nil, []Problem{exprProblem(err, env)}
	}
	if m.used {
		refs[workVar] = nil
	}
	return prog, refs, nil
}

// compileCondition compiles a mapping's condition: an expression that must give true or false.
func compileCondition(src string, env envShape) (*vm.Program, reads, []Problem) {
	prog, refs, problems := compileExpr(src, env)
	if len(problems) > 0 {
		return nil, nil, problems
	}
	if _, err := expr.Compile(src, append(options(env), expr.AsBool())...); err != nil {
		return nil, nil, []Problem{{Line: 1, Column: 1, Message: "it must give true or false, for example role == \"student\""}}
	}
	return prog, refs, nil
}

// options are the compile options every expression is checked with.
func options(env envShape) []expr.Option {
	opts := []expr.Option{expr.Env(env.types), expr.MaxNodes(maxNodes), expr.DisableAllBuiltins()}
	for _, b := range builtins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	for _, h := range helpers {
		opts = append(opts, expr.Function(h.Name, h.fn, h.types...))
	}
	return opts
}

// The meter's names, which no registrar can write: the checked compile knows neither.
const (
	spendFunc = "__spend"
	workVar   = "__work"
)

// metered is the environment with the work counter of a run.
func (env envShape) metered() types.Map {
	m := maps.Clone(env.types)
	m[workVar] = types.Any
	return m
}

// meter bounds the work of an expression, which expr's memory budget does not: it wraps in a call to
// spend each predicate body (one step per item of filter, map, all…), each + and each call inside a
// predicate. spend counts a step, and one per KB of text made, and fails the record past workBudget or
// maxText, so loops over a reused list and text doubled by let variables stop early. A call outside
// loops runs once and makes at most maxText, so the common expressions (upper(familyName)) run unmetered.
type meter struct {
	used    bool
	wrapped map[ast.Node]bool // calls already metered by an inner predicate
}

func (m *meter) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.PredicateNode:
		ast.Walk(&n.Node, callMeter{m})
		n.Node = m.spendOn(n.Node)
	case *ast.BinaryNode:
		if n.Operator == "+" {
			ast.Patch(node, m.spendOn(n))
		}
	}
}

// callMeter meters the calls of a predicate body.
type callMeter struct{ m *meter }

func (c callMeter) Visit(node *ast.Node) {
	if n, ok := (*node).(*ast.CallNode); ok && !c.m.wrapped[n] {
		if id, ok := n.Callee.(*ast.IdentifierNode); !ok || id.Value != spendFunc {
			ast.Patch(node, c.m.spendOn(n))
		}
	}
}

func (m *meter) spendOn(n ast.Node) ast.Node {
	if m.wrapped == nil {
		m.wrapped = map[ast.Node]bool{}
	}
	m.used, m.wrapped[n] = true, true
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: spendFunc}, Arguments: []ast.Node{&ast.IdentifierNode{Value: workVar}, n}}
	call.SetLocation(n.Location())
	return call
}

// work counts the steps of one run of an expression.
type work struct{ steps int }

func spend(p ...any) (any, error) {
	w, v := p[0].(*work), p[1]
	w.steps++
	switch v := v.(type) {
	case string:
		if len(v) > maxText {
			return nil, errTooLong
		}
		w.steps += len(v) >> 10
	case []string:
		w.steps += len(v)
	}
	if w.steps > workBudget {
		return nil, errTooMuchWork
	}
	return v, nil
}

var (
	errTooLong     = fmt.Errorf("the expression made a text longer than %d KB", maxText>>10)
	errTooMuchWork = errors.New("the expression does too much work for one record (too many items or too much text)")
)

// inspect walks a checked program for the environment it reads and checks the regular expressions
// written as literals, so a bad pattern is refused when saved rather than on every record.
func inspect(prog *vm.Program, env envShape) (reads, []Problem) {
	w := &walker{env: env, source: prog.Source(), uses: map[string]int{}, keyed: reads{}}
	root := prog.Node()
	ast.Walk(&root, w)
	if w.all {
		for name := range env.types {
			w.uses[name] = -1
		}
	}
	r := reads{}
	for name, n := range w.uses {
		r[name] = nil
		if _, relative := relativeOf[name]; !relative {
			continue
		}
		if keys := w.keyed[name]; len(keys) == n {
			r[name] = keys
		} else {
			r[name] = slices.Sorted(maps.Keys(env.types[name].(types.Map)))
		}
	}
	return r, w.problems
}

// walker visits an expression's nodes, children before their parent.
type walker struct {
	env      envShape
	source   file.Source
	uses     map[string]int // environment variable → times named
	keyed    reads          // map variable → keys of its uses as name.key
	all      bool           // $env is read: every variable
	problems []Problem
}

func (w *walker) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if _, ok := w.env.types[n.Value]; ok {
			w.uses[n.Value]++
		}
		w.all = w.all || n.Value == "$env"
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		key, literal := n.Property.(*ast.StringNode)
		if ok && literal {
			w.keyed[id.Value] = append(w.keyed[id.Value], key.Value)
		}
	case *ast.BuiltinNode:
		// The parser takes predicates such as reduce as builtins even when disabled.
		if !slices.Contains(builtins, n.Name) {
			w.problems = append(w.problems, at(w.source, n.Location(), unavailable(n.Name)))
		}
	case *ast.CallNode:
		callee, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || callee.Value != "replace" || len(n.Arguments) < 2 {
			return
		}
		if pattern, ok := n.Arguments[1].(*ast.StringNode); ok {
			if _, err := compileRegexp(pattern.Value); err != nil {
				w.problems = append(w.problems, at(w.source, pattern.Location(), err.Error()))
			}
		}
	}
}

// unavailable is the message for an expr-lang builtin that mappings leave out.
func unavailable(name string) string {
	return name + " is not available in a mapping, because it can make values too large to send or changes from run to run. Use the helpers listed"
}

// at is a problem at a location of source.
func at(source file.Source, loc file.Location, msg string) Problem {
	e := (&file.Error{Location: loc, Message: msg}).Bind(source)
	return Problem{Line: e.Line, Column: e.Column + 1, Message: msg}
}

// exprProblem turns a compile error into a problem at its position, in a registrar's words.
func exprProblem(err error, env envShape) Problem {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return Problem{Message: err.Error()}
	}
	msg := fe.Message
	for _, prefix := range []string{"unknown name ", "unknown field "} {
		name, ok := strings.CutPrefix(msg, prefix)
		_, isBuiltin := builtin.Index[name]
		switch {
		case !ok:
		case isBuiltin:
			msg = unavailable(name)
		default:
			msg = fmt.Sprintf("%s is not a field or helper this mapping can read. %s", name, suggest(name, env.names()))
		}
	}
	if msg == "unexpected token EOF" {
		msg = "the expression ends too soon: a closing bracket or quote may be missing"
	}
	return Problem{Line: fe.Line, Column: fe.Column + 1, Message: strings.TrimSpace(msg)}
}

// names are what an expression can name: variables, their fields, and the helpers.
func (env envShape) names() []string {
	names := append([]string{}, env.readable...)
	for _, h := range helpers {
		names = append(names, h.Name)
	}
	return names
}

// run evaluates one transformation on an environment.
func (p *Program) run(prog *vm.Program, env map[string]any) (any, error) {
	if w, metered := env[workVar].(*work); metered {
		w.steps = 0
	}
	machine := p.vms.Get().(*vm.VM)
	out, err := machine.Run(prog, env)
	p.vms.Put(machine)
	if err != nil {
		return nil, runtimeError(err)
	}
	if _, err := measure(out, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// runtimeError is an expression's failure on one record without expr's source excerpt.
func runtimeError(err error) error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return err
	}
	if fe.Message == "memory budget exceeded" {
		return fmt.Errorf("the expression made lists of more than %d items in all", memoryBudget)
	}
	if fe.Prev != nil {
		return fe.Prev // a helper's own error, such as formatDate's
	}
	return errors.New(fe.Message)
}

// measure adds the text v holds to size, refusing values that cannot be sent: texts beyond maxText
// (in all), and numbers JSON cannot hold.
func measure(v any, size int) (int, error) {
	var err error
	switch v := v.(type) {
	case string:
		size += len(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return size, errors.New("the expression made a number that is not a number (a division by zero?)")
		}
	case []string:
		for _, s := range v {
			size += len(s)
		}
	case []any:
		for _, x := range v {
			if size, err = measure(x, size); err != nil {
				return size, err
			}
		}
	case map[string]any:
		for k, x := range v {
			if size, err = measure(x, size+len(k)); err != nil {
				return size, err
			}
		}
	}
	if size > maxText {
		return size, errTooLong
	}
	return size, nil
}
