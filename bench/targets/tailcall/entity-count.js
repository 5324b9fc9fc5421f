// `EntityPage.totalCount`: Tailcall's templates select values but cannot count them.
function entityCount(page) {
  return JSON.stringify(JSON.parse(page).entities.length)
}
