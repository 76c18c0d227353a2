/**
 * The grammar of one rule of a .rules file, in ohm-js. The parser feeds it one rule at a time
 * (see parse.ts), so a syntax error in one rule does not hide the errors of the others.
 * Whitespace and `#` comments may appear anywhere between tokens, newlines included, which is how
 * a rule continues over several lines.
 */
import * as ohm from 'ohm-js';

const SOURCE = String.raw`
NetsatRules {
  Rule = rule ruleName ":" Sides arrow RightSide Condition? Sample? end

  RightSide = Applier | Sides
  Applier = apply name
  Sides = NonemptyListOf<Pattern, ",">
  arrow = "<=>" | "=>"

  Pattern = OpPattern | variable | absent | signedNumber
  OpPattern = "(" opRef (Attribute | Pattern)* ")"
  Attribute = attrName Primary

  Condition = if Expr
  Sample = sample NonemptyListOf<Hint, ",">
  Hint = variable ":" "[" ListOf<Expr, ","> "]" Modifier*  -- shape
       | variable "=" Expr                                  -- value
       | name "=" signedNumber                              -- setting
  Modifier = const                                         -- constant
           | in "[" signedNumber "," signedNumber "]"      -- range
           | name                                          -- dtype

  Expr = Or
  Or = And (or And)*
  And = Not (and Not)*
  Not = not Not     -- not
      | Compare
  Compare = Sum (compareOp Sum)?
  Sum = Product (sumOp Product)*
  Product = Negation (productOp Negation)*
  Negation = Primary
           | "-" Negation  -- neg
  Primary = "(" Expr ")"                  -- paren
          | "{" Expr "}"                  -- brace
          | name "(" ListOf<Expr, ","> ")"  -- call
          | "[" ListItems "]"             -- list
          | signedNumber
          | boolean
          | variable
          | name
  ListItems = (Primary ","?)*

  compareOp = "==" | "!=" | "<=" | ">=" | "<" | ">"
  sumOp = "+" | "-"
  productOp = "*" | "/" | "%"

  ruleName = (alnum | "-" | "_" | ".")+
  opRef = name outputIndex?
  outputIndex = "." digit+
  attrName = ":" name
  variable = "?" name
  absent = "_" ~identPart
  name = ~keyword letter identPart*
  identPart = alnum | "_"
  signedNumber = "-"? digit+ ("." digit+)? exponent?
  exponent = ("e" | "E") ("+" | "-")? digit+
  boolean = (true | false)

  keyword = (rule | apply | if | sample | and | or | not | const | in | true | false) ~identPart
  rule = "rule" ~identPart
  apply = "apply" ~identPart
  if = "if" ~identPart
  sample = "sample" ~identPart
  and = "and" ~identPart
  or = "or" ~identPart
  not = "not" ~identPart
  const = "const" ~identPart
  in = "in" ~identPart
  true = "true" ~identPart
  false = "false" ~identPart

  space += comment
  comment = "#" (~"\n" any)*
}
`;

export const RULES_GRAMMAR: ohm.Grammar = ohm.grammar(SOURCE);
