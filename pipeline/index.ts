// Public API of newsgraph.
export {build, type BuildOptions, type BuildResult} from './build.js'
export {merge, type MergeOptions} from './merge.js'
export {main} from './cli.js'
export {emitSite} from './emit/index.js'
export {formatMessage} from './message.js'
export {createArticleProcessor, processArticle} from './process.js'
export type {Article, ArticleText, Frontmatter, Quotation, SourceMeta} from './types.js'
