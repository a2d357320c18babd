// What the migrations of one PR have done so far, for rules whose judgement depends on an earlier
// statement, in the same file or an earlier file of the PR: objects created here (exempt from
// locking rules), columns added here, column types known here, validated `IS NOT NULL` checks,
// constraints added NOT VALID in the open transaction, functions declared STABLE or IMMUTABLE.
// Rules only read it; the analyser applies each statement's facts after its rules ran.

export interface ObjectRef {
  schema?: string;
  name: string;
}

/** A column type as the parser normalises it: last name (`varchar`, `numeric`, `text`) and modifiers. */
export interface ColumnType {
  name: string;
  mods: number[];
}

export type StateFact =
  | { kind: "created"; object: ObjectRef }
  | { kind: "column-added"; table: ObjectRef; column: string; type?: ColumnType }
  | { kind: "column-type"; table: ObjectRef; column: string; type: ColumnType }
  | { kind: "constraint-added"; on: ObjectRef; name?: string; notNullColumn?: string; validated: boolean }
  | { kind: "constraint-validated"; on: ObjectRef; name: string }
  | { kind: "function-declared"; name: string; stable: boolean };

export interface Where {
  file: string;
  line: number;
}

export interface MigrationState {
  /** Tables, views, types and domains created in the PR, by name, with their schemas. */
  readonly created: Map<string, Array<string | undefined>>;
  readonly addedColumns: Map<string, Where>;
  readonly columnTypes: Map<string, ColumnType>;
  /** `table\0constraint` of CHECK (col IS NOT NULL) constraints, to the column they check. */
  readonly notNullChecks: Map<string, string>;
  /** `table\0column` with a validated NOT NULL check. */
  readonly provenNotNull: Set<string>;
  /** `object\0constraint` added NOT VALID in the transaction still open. */
  readonly pendingNotValid: Set<string>;
  /** User functions declared STABLE or IMMUTABLE in the PR. */
  readonly stableFunctions: Set<string>;
}

export function createMigrationState(): MigrationState {
  return {
    created: new Map(),
    addedColumns: new Map(),
    columnTypes: new Map(),
    notNullChecks: new Map(),
    provenNotNull: new Set(),
    pendingNotValid: new Set(),
    stableFunctions: new Set(),
  };
}

const key = (object: ObjectRef, part: string) => `${object.name}\0${part}`;

export function createdInPr(state: MigrationState, object: ObjectRef): boolean {
  const schemas = state.created.get(object.name);
  return schemas !== undefined && schemas.some((schema) => schema === undefined || object.schema === undefined || schema === object.schema);
}

export function columnAddedInPr(state: MigrationState, table: ObjectRef, column: string): Where | undefined {
  return state.addedColumns.get(key(table, column));
}

export function knownColumnType(state: MigrationState, table: ObjectRef, column: string): ColumnType | undefined {
  return state.columnTypes.get(key(table, column));
}

export function provenNotNull(state: MigrationState, table: ObjectRef, column: string): boolean {
  return state.provenNotNull.has(key(table, column));
}

export function addedNotValidInTransaction(state: MigrationState, on: ObjectRef, constraint: string): boolean {
  return state.pendingNotValid.has(key(on, constraint));
}

export function declaredStable(state: MigrationState, fn: string): boolean {
  return state.stableFunctions.has(fn);
}

export function applyFacts(state: MigrationState, facts: readonly StateFact[], where: Where, inTransaction: boolean): void {
  // Outside a transaction block each statement commits on its own.
  if (!inTransaction && state.pendingNotValid.size > 0) state.pendingNotValid.clear();
  if (facts.length === 0) return;
  for (const fact of facts) {
    switch (fact.kind) {
      case "created": {
        const schemas = state.created.get(fact.object.name);
        if (schemas) schemas.push(fact.object.schema);
        else state.created.set(fact.object.name, [fact.object.schema]);
        break;
      }
      case "column-added":
        state.addedColumns.set(key(fact.table, fact.column), where);
        if (fact.type) state.columnTypes.set(key(fact.table, fact.column), fact.type);
        break;
      case "column-type":
        state.columnTypes.set(key(fact.table, fact.column), fact.type);
        break;
      case "constraint-added":
        if (fact.name && fact.notNullColumn) state.notNullChecks.set(key(fact.on, fact.name), fact.notNullColumn);
        if (fact.validated && fact.notNullColumn) state.provenNotNull.add(key(fact.on, fact.notNullColumn));
        if (!fact.validated && fact.name && inTransaction) state.pendingNotValid.add(key(fact.on, fact.name));
        break;
      case "constraint-validated": {
        const column = state.notNullChecks.get(key(fact.on, fact.name));
        if (column) state.provenNotNull.add(key(fact.on, column));
        break;
      }
      case "function-declared":
        if (fact.stable) state.stableFunctions.add(fact.name);
        else state.stableFunctions.delete(fact.name);
        break;
    }
  }
}

/** The framework's (or the file's) transaction ends with the file. */
export function endOfFile(state: MigrationState): void {
  state.pendingNotValid.clear();
}

/**
 * A type change PostgreSQL does in the catalog only (no rewrite): varchar(n) to text or a varchar
 * at least as long, text to unbounded varchar, numeric precision up with the same scale.
 */
export function isWidening(from: ColumnType, to: ColumnType): boolean {
  const textual = (t: ColumnType) => t.name === "text" || t.name === "varchar";
  if (textual(from) && textual(to)) {
    if (to.name === "text" || to.mods.length === 0) return true;
    if (from.name === "text" || from.mods.length === 0) return false;
    return (to.mods[0] ?? 0) >= (from.mods[0] ?? Infinity);
  }
  if (from.name === "numeric" && to.name === "numeric") {
    if (to.mods.length === 0) return true;
    if (from.mods.length === 0) return false;
    return (to.mods[0] ?? 0) >= (from.mods[0] ?? Infinity) && (to.mods[1] ?? 0) === (from.mods[1] ?? 0);
  }
  return from.name === to.name && from.mods.join(",") === to.mods.join(",");
}

/** Target types that are a widening from some old types (the old type decides). */
export function mayBeWidening(to: ColumnType): boolean {
  return to.name === "text" || to.name === "varchar" || to.name === "numeric";
}
